"""A real browser's view-count beacon counts once: its Origin and Sec-Fetch-Site are accepted."""

import pytest

from news import view_counts
from news.models import Article
from tests.factories import ArticleFactory, ChannelFactory, SiteSettingsFactory

from .conftest import wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def views_of(article):
    view_counts.flush()  # the counts the beacons gathered in the cache
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def test_opening_an_article_counts_one_view(browser, live_server):
    SiteSettingsFactory()
    article = ArticleFactory(channel=ChannelFactory(slug="gongzuo-dongtai"))

    browser.get(live_server.url + article.get_absolute_url())
    wait_until(browser, lambda driver: views_of(article) == 1, "the beacon did not count")
    browser.refresh()
    browser.get(live_server.url + "/")  # leave time for a second beacon to arrive
    assert views_of(article) == 1
