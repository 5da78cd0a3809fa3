"""The search log: each search of the public site with its number of results, nothing about
who searched. 热门搜索 on the search page and the editors' reports (admin → 搜索记录) read it.

A search answered from the page cache never reaches the view, so the log is written by the
page's ``on_response`` hook (``portal.page_cache.public_page``), for cached and fresh answers
alike; the view tells the hook the number of results in the ``RESULTS_HEADER`` header, which the
cached page keeps.
"""

import logging

from django.db import DatabaseError
from django.db.models import Count, Max
from django.utils import timezone

from portal import page_cache

logger = logging.getLogger(__name__)

RESULTS_HEADER = "X-Search-Results"
QUERY_LENGTH = 100
POPULAR_DAYS = 30


def record(request, response):
    """``on_response`` of the search page: log a search that was answered with results page 1
    (later pages and filter changes are the same search)."""
    query = " ".join(request.GET.get("q", "").split())[:QUERY_LENGTH]
    results = response.get(RESULTS_HEADER)
    if response.status_code != 200 or not query or results is None:
        return
    if request.GET.get("page", "1") not in ("", "1"):
        return
    from news.models import SearchLog

    try:
        SearchLog.objects.create(query=query, results=int(results))
    except DatabaseError:
        # A reader's search is never refused for its log entry.
        logger.exception("search log entry not written")


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
