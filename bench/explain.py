"""Query plans of the expensive list and article queries, on a PostgreSQL database.

Run by hand (never in the test suite), on a database filled by ``manage.py load_bench``:

    DATABASE_URL=postgres://postgres@127.0.0.1/portal_big .venv/bin/python bench/explain.py

Each case runs the real code (a page through Django's test client with the page cache off, or a
queryset method), records the SQL it sends, and prints ``EXPLAIN (ANALYZE, BUFFERS)`` for every
statement that reads the news tables, then how long the page took (median of ``--repeat``
requests, block caches warm). ``--case`` picks cases by name.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

CASES = [
    "channel_page_1",
    "channel_page_500",
    "article_by_pk",
    "related",
    "most_viewed",
    "hot_tags",
    "admin_superuser",
    "admin_editor",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=CASES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # The plans are of building pages: no whole-page cache, and blocks in this process only.
    os.environ["PAGE_CACHE"] = "off"
    os.environ["CACHE_URL"] = "locmemcache://"
    # DEBUG on only spares collecting static files; the captured SQL is the same.
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench/explain.py needs DATABASE_URL pointing at a PostgreSQL database")
    from django.test.utils import setup_test_environment

    setup_test_environment()
    cases = build_cases()
    for name in args.case or CASES:
        run_case(name, cases[name], args.repeat)


def build_cases():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from news.models import Article, Channel
    from news.roles import EDITOR
    from news.templatetags import news_tags

    published = Article.objects.published()
    channel = max(Channel.objects.all(), key=lambda c: published.filter(channel=c).count())
    article = published.filter(channel=channel).order_by("-publish_at")[5000]
    superuser, _created = User.objects.get_or_create(
        username="bench-superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    editor, _created = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True}
    )
    editor.groups.add(Group.objects.get(name=EDITOR))

    def page(url, user=None):
        client = Client()
        if user is not None:
            client.force_login(user)

        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    listing = published.only("pk", "title", "publish_at", "view_count")
    return {
        "channel_page_1": page(channel.get_absolute_url()),
        "channel_page_500": page(channel.get_absolute_url() + "?page=500"),
        "article_by_pk": page(article.get_absolute_url()),
        "related": lambda: list(listing.related_to(article)),
        "most_viewed": lambda: list(listing.most_viewed(days=30)[:8]),
        "hot_tags": news_tags.count_hot_tags,
        "admin_superuser": page("/admin/news/article/", superuser),
        "admin_editor": page("/admin/news/article/", editor),
    }


def run_case(name, call, repeat):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"\n===== {name} =====")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        call()  # fills the block caches: its statements include the cached ones
    for query in queries.captured_queries:
        sql = query["sql"]
        if not sql.lstrip("(").startswith("SELECT") or (
            '"news_' not in sql and '"taggit_' not in sql
        ):
            continue
        print(f"\n-- {sql[:300]}{' …' if len(sql) > 300 else ''}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            for (line,) in cursor.fetchall():
                print(line)
    times = []
    with CaptureQueriesContext(connection) as warm:
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
    print(
        f"\n{name}: {statistics.median(times):.1f} ms median of {repeat} (block caches warm), "
        f"{len(warm.captured_queries) // repeat} queries, {len(queries.captured_queries)} cold"
    )


if __name__ == "__main__":
    main()
