"""Search benchmark: how long 搜索 takes for a fixed list of queries on the bench data.

Run by hand (never in the test suite), against the database ``load_bench`` filled:

    DATABASE_URL=postgres://…/portal_bench .venv/bin/python bench/search.py --repeat 20

Builds the search index first when it does not hold every published article
(``reindex_search``; printed with its time),
then runs each query ``--repeat`` times through ``news.search.results_page`` — the function
the search page uses, ranking included — and prints the median and 95th percentile per query,
with the number of matches. The target on PostgreSQL at 100,000 articles: p95 under 100 ms for
every query.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The most common words of the bench bodies first (the work a naive ranking grows with), then
# the terms readers search for, names, a mixed Latin query and a rare one.
QUERIES = [
    "党建",
    "学校",
    "教师",
    "学生",
    "活动",
    "党建引领",
    "立德树人",
    "家校共育",
    "课后服务",
    "主题党日",
    "三会一课",
    "双减",
    "红色研学",
    "集团化办学",
    "思政课",
    "劳动教育",
    "志愿服务",
    "党员 教师",
    "AI 课堂",
    "航天科普",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sort", choices=["relevance", "newest"], default="relevance")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from news import search
    from news.models import Article, ArticleStatus

    published = Article.objects.published()
    if search.backend().size() != Article.objects.filter(status=ArticleStatus.PUBLISHED).count():
        started = time.perf_counter()
        call_command("reindex_search")
        print(f"reindex_search: {time.perf_counter() - started:.0f} s")
    print(f"{connection.vendor}, {published.count()} published articles, sort={args.sort}")
    print(f"{'query':<12} {'matches':>8} {'median ms':>10} {'p95 ms':>8}")
    worst = 0.0
    for query in QUERIES:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            page = search.results_page(query, published, newest=args.sort == "newest")
            list(page.object_list)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[max(0, round(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(
            f"{query:<12} {page.paginator.count:>8} {statistics.median(times):>10.1f} {p95:>8.1f}"
        )
    print(f"worst p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()
