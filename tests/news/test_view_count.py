"""View counts: a beacon counts once per visitor per article, never staff or unpublished."""

import pytest
from django.core.cache import cache

from news.models import Article
from tests.factories import ArticleFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def views_of(article):
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def beacon(client, article, address="198.51.100.1", agent="Mozilla/5.0"):
    return client.post(f"/news/{article.pk}/view/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def test_page_itself_does_not_write(client, site, article, django_assert_max_num_queries):
    client.get(article.get_absolute_url())
    assert views_of(article) == 0


def test_beacon_counts_once_per_visitor(client, article):
    assert beacon(client, article).status_code == 204
    assert views_of(article) == 1
    assert beacon(client, article).status_code == 204
    assert views_of(article) == 1  # throttled
    beacon(client, article, address="198.51.100.2")
    beacon(client, article, agent="Another browser")
    assert views_of(article) == 3


def test_throttle_is_per_article(client, channel, article):
    other = ArticleFactory(channel=channel)
    beacon(client, article)
    beacon(client, other)
    assert views_of(article) == 1 and views_of(other) == 1


def test_counts_again_after_the_throttle_expires(client, article):
    beacon(client, article)
    cache.clear()  # the 30-minute window has passed
    beacon(client, article)
    assert views_of(article) == 2


def test_beacon_is_one_update_no_select_of_the_row(client, article, django_assert_num_queries):
    # The existence check and the UPDATE ... SET view_count = view_count + 1.
    with django_assert_num_queries(2):
        beacon(client, article)


def test_staff_views_never_count(client, article):
    client.force_login(StaffFactory())
    assert beacon(client, article).status_code == 204
    assert views_of(article) == 0


def test_logged_in_non_staff_counts(client, article):
    client.force_login(UserFactory())
    beacon(client, article)
    assert views_of(article) == 1


def test_unpublished_never_count(client, channel):
    draft = ArticleFactory(channel=channel, draft=True)
    scheduled = ArticleFactory(channel=channel, scheduled=True)
    assert beacon(client, draft).status_code == 404
    assert beacon(client, scheduled).status_code == 404
    assert views_of(draft) == 0 and views_of(scheduled) == 0


def test_beacon_only_accepts_post(client, article):
    assert client.get(f"/news/{article.pk}/view/").status_code == 405
    assert views_of(article) == 0


def test_beacon_works_without_csrf_token(article):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert beacon(strict, article).status_code == 204
    assert views_of(article) == 1


def test_most_viewed_sidebar_reads_the_counts(client, site, channel):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(channel=channel, title="浏览少", view_count=5)
    ArticleFactory(channel=channel, title="浏览多", view_count=500)
    ArticleFactory(
        channel=channel,
        title="很久以前",
        view_count=9999,
        publish_at=timezone.now() - timedelta(days=40),
    )
    html = client.get("/news/gongzuo-dongtai/").content.decode()
    ranking = html.split("点击排行")[1].split("</ol>")[0]
    assert ranking.index("浏览多") < ranking.index("浏览少")
    assert "很久以前" not in ranking
