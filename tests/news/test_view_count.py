"""View counts: a beacon counts once per address per article, never staff or unpublished;
foreign sites cannot send it, one address cannot flood it, a dead cache counts nothing.

A view is gathered in the cache (news.view_counts) and reaches the database at a flush: the
lifetime 浏览次数 and the daily rows behind 点击排行."""

import time
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends import base, filebased, locmem
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import view_counts
from news.models import Article, ArticleViewDay
from tests.factories import ArticleFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def views_of(article):
    """The lifetime count once what the cache gathered has been written."""
    view_counts.flush()
    return stored_views_of(article)


def stored_views_of(article):
    return Article.objects.values_list("view_count", flat=True).get(pk=article.pk)


def buckets_of(article):
    return dict(ArticleViewDay.objects.filter(article=article).values_list("day", "views"))


def record(article, times=1):
    for _ in range(times):
        view_counts.record(article.pk)


def later(monkeypatch, module, seconds):
    """Moves the clock of one cache backend ``seconds`` ahead."""
    monkeypatch.setattr(module, "time", SimpleNamespace(time=lambda: time.time() + seconds))


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


def test_beacon_writes_nothing_until_a_flush(client, article, django_assert_num_queries):
    view_counts.maybe_flush()  # a flush just ran: the next is not due
    # The existence check only.
    with django_assert_num_queries(1) as queries:
        assert beacon(client, article).status_code == 204
    assert not [q for q in queries.captured_queries if "news_article" in q["sql"].split()[0:3]]
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert stored_views_of(article) == 0 and not buckets_of(article)
    assert views_of(article) == 1


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


def test_most_viewed_sidebar_shows_the_views_of_the_last_30_days(client, site, channel):
    today = timezone.localdate()
    few = ArticleFactory(channel=channel, title="浏览少", view_count=9000)
    many = ArticleFactory(channel=channel, title="浏览多", view_count=5)
    old = ArticleFactory(
        channel=channel, title="很久以前", publish_at=timezone.now() - timedelta(days=400)
    )
    ArticleViewDay.objects.create(article=few, day=today, views=3)
    ArticleViewDay.objects.create(article=many, day=today, views=40)
    ArticleViewDay.objects.create(article=many, day=today - timedelta(days=1), views=2)
    ArticleViewDay.objects.create(article=old, day=today - timedelta(days=30), views=9999)
    html = client.get("/news/gongzuo-dongtai/").content.decode()
    ranking = html.split("点击排行")[1].split("</ol>")[0]
    assert ranking.index("浏览多") < ranking.index("浏览少")
    assert "42 次" in ranking and "3 次" in ranking
    assert "很久以前" not in ranking


def test_most_viewed_sidebar_without_views_says_so(client, site, article):
    html = client.get("/news/gongzuo-dongtai/").content.decode()
    assert "近 30 天暂无浏览" in html.split("点击排行")[1].split("</section>")[0]


# Flushing: what the cache gathered reaches the database.


def test_flush_writes_todays_bucket_and_the_lifetime_count(channel):
    first = ArticleFactory(channel=channel, view_count=100)
    second = ArticleFactory(channel=channel)
    record(first, 3)
    record(second)
    assert view_counts.flush() == 4
    today = timezone.localdate()
    assert buckets_of(first) == {today: 3} and buckets_of(second) == {today: 1}
    assert stored_views_of(first) == 103 and stored_views_of(second) == 1
    assert view_counts.flush() == 0  # nothing counted twice
    record(first, 2)
    assert view_counts.flush() == 2
    assert buckets_of(first) == {today: 5}  # added to the day's row
    assert stored_views_of(first) == 105


def test_flush_is_one_insert_and_one_update_for_many_articles(channel):
    articles = ArticleFactory.create_batch(3, channel=channel)
    for article in articles:
        record(article)
    with CaptureQueriesContext(connection) as queries:
        assert view_counts.flush() == 3
    # Django logs an executemany as "3 times: INSERT …".
    statements = [q["sql"].split(" times: ")[-1].split()[0] for q in queries.captured_queries]
    # Which articles still exist, the buckets (one executemany), the lifetime counts.
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE")] == [
        "SELECT",
        "INSERT",
        "UPDATE",
    ]


def test_buckets_and_lifetime_counts_are_written_together_or_not_at_all(channel, monkeypatch):
    article = ArticleFactory(channel=channel)
    record(article, 2)

    def fail(*args, **kwargs):
        raise DatabaseError("lost connection")

    monkeypatch.setattr(view_counts, "Case", fail)  # the UPDATE, after the buckets' INSERT
    with pytest.raises(DatabaseError):
        view_counts.flush()
    assert not buckets_of(article) and stored_views_of(article) == 0
    monkeypatch.undo()
    assert view_counts.flush() == 2
    assert buckets_of(article) == {timezone.localdate(): 2} and stored_views_of(article) == 2


def test_views_counted_while_a_flush_writes_are_kept(article, monkeypatch):
    record(article, 2)
    write = view_counts._write

    def write_while_a_reader_comes(counts):
        record(article)  # between reading the counter and subtracting from it
        return write(counts)

    monkeypatch.setattr(view_counts, "_write", write_while_a_reader_comes)
    assert view_counts.flush() == 2
    monkeypatch.setattr(view_counts, "_write", write)
    assert view_counts.flush() == 1
    assert stored_views_of(article) == 3
    assert buckets_of(article) == {timezone.localdate(): 3}


def test_views_of_a_deleted_article_are_dropped(channel):
    kept = ArticleFactory(channel=channel)
    deleted = ArticleFactory(channel=channel)
    record(kept)
    record(deleted, 5)
    deleted.delete()
    assert view_counts.flush() == 1
    assert stored_views_of(kept) == 1
    assert cache.get(view_counts.tally.counter_key(deleted.pk)) is None


def test_a_lost_cache_is_nothing_to_flush(article):
    assert view_counts.flush() == 0  # never used
    record(article)
    cache.delete(view_counts.tally.counter_key(article.pk))
    assert view_counts.flush() == 0
    record(article)
    cache.clear()
    assert view_counts.flush() == 0
    assert stored_views_of(article) == 0


def test_a_restarted_slot_counter_is_still_flushed(channel):
    articles = ArticleFactory.create_batch(3, channel=channel)
    for article in articles:
        record(article)
    assert view_counts.flush() == 3
    cache.delete(view_counts.tally.slots_key)  # lost: the next article gets slot 1 again
    late = ArticleFactory(channel=channel)
    record(late)
    assert view_counts.flush() == 1
    assert stored_views_of(late) == 1


def test_file_cache_keeps_the_counts_past_its_default_timeout(
    settings, tmp_path, article, monkeypatch
):
    settings.CACHES = {
        "default": {"BACKEND": "portal.caches.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    record(article, 2)
    later(monkeypatch, base, 3600)  # an hour without a flush
    later(monkeypatch, filebased, 3600)
    assert view_counts.flush() == 2


def test_maybe_flush_writes_at_most_once_per_interval(settings, channel, monkeypatch):
    settings.VIEW_COUNT_FLUSH_SECONDS = 120
    first, second = ArticleFactory.create_batch(2, channel=channel)
    record(first)
    assert view_counts.maybe_flush() == 1
    record(second)
    assert view_counts.maybe_flush() == 0
    later(monkeypatch, locmem, 119)
    assert view_counts.maybe_flush() == 0
    assert stored_views_of(second) == 0
    later(monkeypatch, locmem, 121)
    assert view_counts.maybe_flush() == 1
    assert stored_views_of(second) == 1


def test_the_beacon_flushes_when_due(client, channel):
    first, second = ArticleFactory.create_batch(2, channel=channel)
    beacon(client, first)  # nothing flushed yet: this beacon flushes, its own view included
    assert stored_views_of(first) == 1
    beacon(client, second)
    assert stored_views_of(second) == 0
    cache.delete(view_counts.tally.flush_lock_key)  # the interval has passed
    beacon(client, first, address="198.51.100.2")
    assert stored_views_of(first) == 2 and stored_views_of(second) == 1


def test_a_flush_in_progress_is_not_run_twice(article):
    record(article)
    cache.add(view_counts.tally.flushing_key, 1)
    assert view_counts.flush() is None
    out = StringIO()
    call_command("flush_view_counts", stdout=out)
    assert "另一个进程正在写入" in out.getvalue()
    cache.delete(view_counts.tally.flushing_key)
    assert view_counts.flush() == 1


def test_a_database_error_keeps_the_counts_and_the_beacon_answers(
    client, article, monkeypatch, caplog
):
    def fail(counts):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(view_counts, "_write", fail)
    assert beacon(client, article).status_code == 204
    assert "View counts not written" in caplog.text
    with pytest.raises(DatabaseError):
        view_counts.flush()
    monkeypatch.undo()
    assert view_counts.flush() == 1
    assert stored_views_of(article) == 1 and buckets_of(article) == {timezone.localdate(): 1}


def test_command_flushes_now_and_says_how_many(channel):
    first, second = ArticleFactory.create_batch(2, channel=channel)
    record(first, 2)
    record(second)
    out = StringIO()
    call_command("flush_view_counts", "--dry-run", stdout=out)
    assert "缓存中有 3 次浏览等待写入" in out.getvalue()
    assert stored_views_of(first) == 0
    call_command("flush_view_counts", stdout=out)
    assert "已写入 3 次浏览" in out.getvalue()
    assert stored_views_of(first) == 2 and stored_views_of(second) == 1


# 点击排行: the sum of the last 30 days' buckets.


def test_most_viewed_ranks_by_the_last_30_days(channel, django_assert_num_queries):
    today = timezone.localdate()
    newer = ArticleFactory(channel=channel, publish_at=timezone.now() - timedelta(hours=1))
    older = ArticleFactory(channel=channel, publish_at=timezone.now() - timedelta(days=90))
    tied = ArticleFactory(channel=channel, publish_at=timezone.now() - timedelta(days=3))
    draft = ArticleFactory(channel=channel, draft=True)
    scheduled = ArticleFactory(channel=channel, scheduled=True)
    ArticleFactory(channel=channel, view_count=10**6)  # a lifetime count, no recent views
    days = {
        older: {today: 30, today - timedelta(days=29): 20, today - timedelta(days=30): 500},
        newer: {today: 10, today - timedelta(days=5): 5},
        tied: {today - timedelta(days=2): 15},
        draft: {today: 1000},
        scheduled: {today: 1000},
    }
    ArticleViewDay.objects.bulk_create(
        ArticleViewDay(article=article, day=day, views=views)
        for article, bucket in days.items()
        for day, views in bucket.items()
    )
    with django_assert_num_queries(1):
        ranking = [
            (article.pk, article.recent_views)
            for article in Article.objects.published().most_viewed(days=30)
        ]
    assert ranking == [(older.pk, 50), (newer.pk, 15), (tied.pk, 15)]
    ranking = [article.pk for article in Article.objects.published().most_viewed(days=3)]
    assert ranking == [older.pk, tied.pk, newer.pk]
