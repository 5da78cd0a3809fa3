from django import template
from django.db.models import Count
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
    shows it and kept until anything public changes (two queries when it is built)."""
    return page_cache.cached("news_sidebar", _render_sidebar)


def _render_sidebar():
    published = Article.objects.published()
    listing = published.only("pk", "title", "publish_at", "is_recommended")
    latest, most_viewed, recommended = _article_lists(listing)
    context = {
        "latest_articles": latest,
        "most_viewed_articles": most_viewed,
        "hot_tags": count_hot_tags(),
        "recommended_articles": recommended,
    }
    return mark_safe(render_to_string("includes/news_sidebar.html", context))


def _article_lists(listing, days=30):
    """最新发布, 点击排行 (views of the last ``days`` days) and 热点推荐 from one query.

    The rows are the union of the three lists' keys, each row with its recent views. Ordered as
    a list orders, the union starts with that list's own rows: no row outside a list can rank
    above its last one, or it would be in the list."""
    newest = listing.values("pk")[:SIDEBAR_SIZE]
    most_viewed = listing.most_viewed(days).values("pk")[:SIDEBAR_SIZE]
    recommended = listing.filter(is_recommended=True).values("pk")[:SIDEBAR_SIZE]
    found = listing.with_recent_views(days).rows_of(newest, most_viewed, recommended)
    rows = sorted(set(found), key=lambda a: (a.publish_at, a.pk), reverse=True)
    ranked = sorted((a for a in rows if a.recent_views), key=lambda a: -a.recent_views)
    return (
        rows[:SIDEBAR_SIZE],
        ranked[:SIDEBAR_SIZE],  # sorted() is stable: the newest first among equals
        [a for a in rows if a.is_recommended][:SIDEBAR_SIZE],
    )


def count_hot_tags(limit=HOT_TAGS):
    """Tags of published articles, most used first, each with its ``article_count``.

    Counts every tag link of every published article: run only when the sidebar is built."""
    return list(
        Tag.objects.filter(news_taggedarticle_items__content_object__in=Article.objects.published())
        .annotate(article_count=Count("news_taggedarticle_items"))
        .order_by("-article_count", "name")[:limit]
    )
