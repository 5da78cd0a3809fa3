"""The search log: each search of the public site with its number of results, nothing about
who searched. 热门搜索 on the search page and the editors' reports (admin → 搜索记录) read it.

A search answered from the page cache never reaches the view, so the log is kept by the
page's ``on_response`` hook (``portal.page_cache.public_page``), for cached and fresh answers
alike; the view tells the hook the number of results in the ``RESULTS_HEADER`` header, which the
cached page keeps.

The hook writes nothing: it counts the search in a tally in the shared cache (``portal.tallies``,
keys ``news:searches:…``, one counter per query and number of results), and the first search
after ``SEARCH_LOG_FLUSH_SECONDS`` writes what was counted, one ``SearchLog`` row per search,
dated at the flush. A cached search page thus costs no SQL, like the other cached pages; the
reports are up to that interval behind.
"""

from django.db.models import Count, Max
from django.utils import timezone

from portal import page_cache
from portal.tallies import Tally

RESULTS_HEADER = "X-Search-Results"
QUERY_LENGTH = 100
POPULAR_DAYS = 30
# Rows per INSERT: one query asked by a crowd between two flushes is that many rows.
BATCH = 1000


def _write(counts):
    """The tally's write: ``counts`` ({(query, results): searches}) as that many rows."""
    from news.models import SearchLog

    now = timezone.now()
    SearchLog.objects.bulk_create(
        (
            SearchLog(query=query, results=results, searched_at=now)
            for (query, results), searches in counts.items()
            for _ in range(searches)
        ),
        batch_size=BATCH,
    )
    return counts


tally = Tally(
    "news:searches",
    write=_write,
    interval_setting="SEARCH_LOG_FLUSH_SECONDS",
    label="Searches",
    unit="搜索",
    verbose_name="搜索记录",
)


def record(request, response):
    """``on_response`` of the search page: count a search that was answered with results page 1
    (later pages and filter changes are the same search), and flush when it is due."""
    search = _search(request, response)
    if search is not None:
        tally.add(search)
    # After every answer, as the view beacon does; never raises for the database: a reader's
    # search is not refused for its log entry.
    tally.maybe_flush()


def _search(request, response):
    """(query, number of results) of the search ``response`` answered, or None."""
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    results = response.get(RESULTS_HEADER)
    if response.status_code != 200 or not query or results is None:
        return None
    if request.GET.get("page", "1") not in ("", "1"):
        return None
    return query, int(results)


def flush():
    """Write the searches counted in the cache: how many, or None when another flush is under
    way (``Tally.flush``)."""
    return tally.flush()


def _recent(days):
    from news.models import SearchLog

    return SearchLog.objects.filter(searched_at__gte=timezone.now() - timezone.timedelta(days=days))


def popular(days=POPULAR_DAYS, limit=10):
    """热门搜索: the queries asked most in the last ``days`` days that found something, with
    ``searches`` (how often) — a list of dicts, most asked first."""
    return list(
        _recent(days)
        .filter(results__gt=0)
        .values("query")
        .annotate(searches=Count("pk"), last=Max("searched_at"))
        .order_by("-searches", "-last")[:limit]
    )


def without_results(days=POPULAR_DAYS, limit=50):
    """The queries of the last ``days`` days that found nothing, most asked first: what readers
    look for and the site does not have (or spells otherwise)."""
    return list(
        _recent(days)
        .filter(results=0)
        .values("query")
        .annotate(searches=Count("pk"), last=Max("searched_at"))
        .order_by("-searches", "-last")[:limit]
    )


def cached_popular():
    """热门搜索 for the search page, from the block cache (new searches do not end a page
    cache generation, so the list follows within ``PAGE_CACHE_TIMEOUT``)."""
    return page_cache.cached("search_popular", popular)
