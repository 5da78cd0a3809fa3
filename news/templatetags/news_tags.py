from django import template
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from taggit.models import Tag

from portal import page_cache

from ..models import Article

register = template.Library()

SIDEBAR_SIZE = 8
HOT_TAGS = 20


@register.simple_tag
def news_sidebar():
    """最新发布, 点击排行 (last 30 days), 热门标签, 热点推荐: rendered once for every page that
    shows it and kept until anything public changes (three queries when it is built)."""
    return page_cache.cached("news_sidebar", _render_sidebar)


def _render_sidebar():
    published = Article.objects.published()
    listing = published.only("pk", "title", "publish_at", "view_count", "is_recommended")
    latest, recommended = _latest_and_recommended(listing)
    context = {
        "latest_articles": latest,
        "most_viewed_articles": listing.most_viewed(days=30)[:SIDEBAR_SIZE],
        "hot_tags": count_hot_tags(),
        "recommended_articles": recommended,
    }
    return mark_safe(render_to_string("includes/news_sidebar.html", context))


def _latest_and_recommended(listing):
    """最新发布 and 热点推荐 from one query: the union of both lists, newest first, holds the
    newest ``SIDEBAR_SIZE`` articles first and every recommended one of the list after them."""
    newest = listing.values("pk")[:SIDEBAR_SIZE]
    recommended = listing.filter(is_recommended=True).values("pk")[:SIDEBAR_SIZE]
    both = list(listing.filter(Q(pk__in=newest) | Q(pk__in=recommended)))
    return both[:SIDEBAR_SIZE], [a for a in both if a.is_recommended][:SIDEBAR_SIZE]


def count_hot_tags(limit=HOT_TAGS):
    """Tags of published articles, most used first, each with its ``article_count``.

    Counts every tag link of every published article: run only when the sidebar is built."""
    return list(
        Tag.objects.filter(news_taggedarticle_items__content_object__in=Article.objects.published())
        .annotate(article_count=Count("news_taggedarticle_items"))
        .order_by("-article_count", "name")[:limit]
    )
