"""View counts: a beacon counts once per address per article, never staff or unpublished;
foreign sites cannot send it, one address cannot flood it, a dead cache counts nothing."""

import pytest
from django.core.cache import cache

from news.models import Article
from tests.factories import ArticleFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def views_of(article):
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def beacon(client, article, address="198.51.100.1", agent="Mozilla/5.0", **headers):
    return client.post(
        f"/news/{article.pk}/view/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent, **headers
    )


def test_page_itself_does_not_write(client, site, article, django_assert_max_num_queries):
    client.get(article.get_absolute_url())
    assert views_of(article) == 0


def test_beacon_counts_once_per_address(client, article):
    assert beacon(client, article).status_code == 204
    assert views_of(article) == 1
    assert beacon(client, article).status_code == 204
    assert views_of(article) == 1  # throttled
    beacon(client, article, address="198.51.100.2")
    assert views_of(article) == 2


def test_a_new_user_agent_does_not_count_again(client, article):
    for number in range(50):
        assert beacon(client, article, agent=f"Bot/{number}").status_code == 204
    assert views_of(article) == 1


def test_address_comes_from_our_proxy_when_trusted(client, settings, article):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    for address in ("203.0.113.7", "203.0.113.8"):
        # The proxy's own address is the same each time; the client's is appended last.
        beacon(client, article, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, {address}")
    assert views_of(article) == 2


def test_same_origin_beacon_counts(client, article):
    response = beacon(
        client,
        article,
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_REFERER=f"http://testserver{article.get_absolute_url()}",
    )
    assert response.status_code == 204
    assert views_of(article) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://evil.example/page.html"},
    ],
)
def test_foreign_sites_cannot_count(client, article, headers):
    assert beacon(client, article, **headers).status_code == 403
    assert views_of(article) == 0


def test_one_address_is_rate_limited_across_articles(client, settings, channel):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "view_beacon": "5/m"}
    articles = ArticleFactory.create_batch(7, channel=channel)
    statuses = [beacon(client, article).status_code for article in articles]
    assert statuses == [204] * 5 + [429] * 2
    assert sum(views_of(article) for article in articles) == 5
    limited = beacon(client, articles[0])
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "访问过于频繁" in limited.content.decode()
    # Another address has its own allowance.
    assert beacon(client, articles[6], address="198.51.100.9").status_code == 204
    assert views_of(articles[6]) == 1


def test_default_rate_limit_allows_a_reader(client, channel):
    articles = ArticleFactory.create_batch(20, channel=channel)
    assert {beacon(client, article).status_code for article in articles} == {204}


@pytest.mark.parametrize("broken_cache", ["dead_redis", "broken_file_cache"])
def test_broken_cache_counts_nothing_and_fails_no_one(request, client, article, broken_cache):
    request.getfixturevalue(broken_cache)
    for _ in range(3):
        assert beacon(client, article).status_code == 204
    assert views_of(article) == 0


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


def test_beacon_throttle_is_shared_by_every_worker(settings, tmp_path, client, article):
    """Each gunicorn worker builds its own cache object; with the default (file) cache they
    all see the same throttle, so a visitor counts once, not once per worker."""
    file_cache = {"default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}}
    settings.CACHES = file_cache
    beacon(client, article)
    settings.CACHES = {"default": dict(file_cache["default"])}  # a second worker's cache
    beacon(client, article)
    assert views_of(article) == 1


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
