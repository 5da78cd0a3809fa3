"""The sidebar's lists, built from one query, are the lists their definitions give."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article, ArticleViewDay
from news.templatetags.news_tags import SIDEBAR_SIZE, _article_lists
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_latest_most_viewed_and_recommended_match_their_own_queries(channel):
    now = timezone.now()
    today = timezone.localdate()
    for n in range(30):
        article = ArticleFactory(
            channel=channel,
            publish_at=now - timedelta(hours=n * 5 + 1),
            is_recommended=n % 3 == 0,
        )
        if n % 4:
            # Views spread so that the most viewed are neither the newest nor all recommended;
            # some tie, and some are older than 30 days.
            ArticleViewDay.objects.create(article=article, day=today, views=(n * 7) % 11 + 1)
            ArticleViewDay.objects.create(
                article=article, day=today - timedelta(days=40), views=1000
            )
    ArticleFactory(channel=channel, draft=True, is_recommended=True)

    listing = Article.objects.published().only("pk", "title", "publish_at", "is_recommended")
    latest, most_viewed, recommended = _article_lists(listing)

    assert latest == list(listing[:SIDEBAR_SIZE])
    assert most_viewed == list(listing.most_viewed(30)[:SIDEBAR_SIZE])
    assert [a.recent_views for a in most_viewed] == [
        a.recent_views for a in listing.most_viewed(30)[:SIDEBAR_SIZE]
    ]
    assert recommended == list(listing.filter(is_recommended=True)[:SIDEBAR_SIZE])
    assert len(most_viewed) == SIDEBAR_SIZE
