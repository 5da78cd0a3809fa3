from django import template
from django.db.models import Count
from taggit.models import Tag

from ..models import Article

register = template.Library()

SIDEBAR_SIZE = 8
HOT_TAGS = 20


@register.inclusion_tag("includes/news_sidebar.html")
def news_sidebar():
    """最新发布, 点击排行 (last 30 days), 热门标签, 热点推荐: four queries, whatever the data."""
    published = Article.objects.published()
    listing = published.only("pk", "title", "publish_at")
    return {
        "latest_articles": listing[:SIDEBAR_SIZE],
        "most_viewed_articles": listing.most_viewed(days=30)[:SIDEBAR_SIZE],
        "hot_tags": hot_tags(published),
        "recommended_articles": listing.filter(is_recommended=True)[:SIDEBAR_SIZE],
    }


def hot_tags(published, limit=HOT_TAGS):
    """Tags of published articles, most used first."""
    return (
        Tag.objects.filter(news_taggedarticle_items__content_object__in=published)
        .annotate(article_count=Count("news_taggedarticle_items"))
        .order_by("-article_count", "name")[:limit]
    )
