"""The search log: searches are counted in the cache and written to ``SearchLog`` in batches
(``portal.tallies``), so a search answered from the page cache costs no SQL; the reports read
the flushed rows."""

import time
from collections import Counter
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import view_counts
from news.models import SearchLog
from news.search import log as search_log
from tests.factories import ArticleFactory, ChannelFactory, SiteSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(django_capture_on_commit_callbacks, settings):
    settings.PAGE_CACHE_ENABLED = True
    SiteSettingsFactory()
    channel = ChannelFactory(name="工作动态", slug="gongzuo-dongtai")
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(channel=channel, title="课后服务全覆盖")
        ArticleFactory(channel=channel, title="课后服务再升级")
        ArticleFactory(channel=channel, title="家校共育推进会")


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def count(query, results, times=1):
    """Searches as the page's hook counts them, without a request."""
    for _ in range(times):
        search_log.tally.add((query, results))


def logged():
    return Counter(SearchLog.objects.values_list("query", "results"))


def later(monkeypatch, seconds):
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: time.time() + seconds))


def test_a_search_from_the_page_cache_costs_no_query(client, indexed, django_assert_num_queries):
    first = search(client, "课后服务")
    with django_assert_num_queries(0):
        again = search(client, "课后服务")
    assert again.content == first.content  # from the page cache
    search_log.flush()
    assert logged() == {("课后服务", 2): 2}  # the cached answer is logged too


def test_a_search_writes_nothing_until_the_flush_is_due(client, indexed):
    search(client, "家校共育")  # nothing flushed yet: this one flushes, itself included
    assert logged() == {("家校共育", 1): 1}
    with CaptureQueriesContext(connection) as queries:
        search(client, "课后服务")
        search(client, "航天")
    assert not [q for q in queries.captured_queries if "news_searchlog" in q["sql"]]
    assert search_log.tally.pending() == 2
    cache.delete(search_log.tally.flush_lock_key)  # the interval has passed
    search(client, "课后服务")  # from the page cache, and due: it flushes
    assert logged() == {("家校共育", 1): 1, ("课后服务", 2): 2, ("航天", 0): 1}
    assert search_log.tally.pending() == 0


def test_the_flush_is_due_after_the_interval(settings, monkeypatch, client, indexed):
    settings.SEARCH_LOG_FLUSH_SECONDS = 120
    search(client, "家校共育")
    search(client, "课后服务")
    later(monkeypatch, 119)
    search(client, "航天")
    assert logged() == {("家校共育", 1): 1}
    later(monkeypatch, 121)
    search(client, "航天")
    assert logged() == {("家校共育", 1): 1, ("课后服务", 2): 1, ("航天", 0): 2}


def test_flush_writes_one_row_per_search_at_the_time_of_the_flush():
    count("课后服务", 2, times=3)
    count("家校共育", 1)
    count("航天", 0, times=2)
    before = timezone.now()
    assert search_log.flush() == 6
    assert logged() == {("课后服务", 2): 3, ("家校共育", 1): 1, ("航天", 0): 2}
    times = set(SearchLog.objects.values_list("searched_at", flat=True))
    assert len(times) == 1 and before <= times.pop() <= timezone.now()
    assert search_log.flush() == 0  # nothing written twice
    count("课后服务", 2)
    count("课后服务", 3)  # the same query once it finds more: another member
    assert search_log.flush() == 2
    assert logged() == {("课后服务", 2): 4, ("课后服务", 3): 1, ("家校共育", 1): 1, ("航天", 0): 2}


def test_the_reports_read_the_flushed_rows():
    count("课后服务", 2, times=3)
    count("家校共育", 1)
    count("航天", 0, times=2)
    assert search_log.popular() == []  # nothing written yet
    search_log.flush()
    popular = [(row["query"], row["searches"]) for row in search_log.popular()]
    assert popular == [("课后服务", 3), ("家校共育", 1)]
    missing = [(row["query"], row["searches"]) for row in search_log.without_results()]
    assert missing == [("航天", 2)]


def test_searches_counted_while_a_flush_writes_are_kept(monkeypatch):
    count("课后服务", 2, times=2)
    write = search_log.tally.write

    def write_while_a_reader_searches(counts):
        count("课后服务", 2)  # between reading the counter and subtracting from it
        count("航天", 0)  # and a new one
        return write(counts)

    monkeypatch.setattr(search_log.tally, "write", write_while_a_reader_searches)
    assert search_log.flush() == 2
    monkeypatch.undo()
    assert search_log.flush() == 2
    assert logged() == {("课后服务", 2): 3, ("航天", 0): 1}


def test_a_database_error_loses_nothing_and_the_page_answers(client, indexed, monkeypatch, caplog):
    count("家校共育", 1)
    write = search_log.tally.write

    def fail_after_writing(counts):
        write(counts)  # rows inserted, then the connection is lost: all rolled back
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(search_log.tally, "write", fail_after_writing)
    search(client, "课后服务")
    assert "Searches not written" in caplog.text
    assert logged() == {}
    with pytest.raises(DatabaseError):
        search_log.flush()
    assert logged() == {}
    monkeypatch.undo()
    assert search_log.flush() == 2
    assert logged() == {("家校共育", 1): 1, ("课后服务", 2): 1}


def test_later_pages_and_empty_queries_are_not_logged(client, indexed):
    search(client, "课后服务", page="2")
    search(client, "")
    search(client, "   ")
    client.get("/search/")
    assert search_log.tally.pending() == 0
    assert search_log.flush() == 0
    assert logged() == {}


def test_a_lost_cache_is_nothing_to_flush():
    count("课后服务", 2)
    cache.clear()
    assert search_log.flush() == 0
    assert logged() == {}


def test_a_flush_in_progress_is_not_run_twice():
    count("课后服务", 2)
    cache.add(search_log.tally.flushing_key, 1)
    assert search_log.flush() is None
    cache.delete(search_log.tally.flushing_key)
    assert search_log.flush() == 1


def test_the_command_flushes_views_and_searches():
    article = ArticleFactory()
    view_counts.record(article.pk)
    count("课后服务", 2, times=2)
    out = StringIO()
    call_command("flush_tallies", "--dry-run", stdout=out)
    assert "缓存中有 1 次浏览等待写入" in out.getvalue()
    assert "缓存中有 2 次搜索等待写入" in out.getvalue()
    assert logged() == {}
    call_command("flush_tallies", stdout=out)
    assert "已写入 1 次浏览" in out.getvalue() and "已写入 2 次搜索" in out.getvalue()
    assert logged() == {("课后服务", 2): 2}
    article.refresh_from_db()
    assert article.view_count == 1


def test_the_former_command_name_flushes_the_searches_too():
    count("课后服务", 2)
    out = StringIO()
    cache.add(search_log.tally.flushing_key, 1)
    call_command("flush_view_counts", stdout=out)
    assert "另一个进程正在写入搜索记录" in out.getvalue()
    cache.delete(search_log.tally.flushing_key)
    call_command("flush_view_counts", stdout=out)
    assert "已写入 1 次搜索" in out.getvalue()
    assert logged() == {("课后服务", 2): 1}
