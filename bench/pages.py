"""Public page benchmark: render time and SQL queries per page with many articles.

Run by hand (never in the test suite):

    .venv/bin/python bench/pages.py --articles 5000 --repeat 20

It builds a throw-away SQLite database (or uses DATABASE_URL when set: point it at an empty
PostgreSQL database, it is migrated and filled), loads the demo district, copies articles until
there are ``--articles`` published ones, then requests each public page ``--repeat`` times with
Django's test client and prints the median and 95th-percentile time and the query count.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from news.models import Article

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    grow_articles(Article, args.articles)
    total = Article.objects.published().count()

    article = Article.objects.published().latest("publish_at")
    brand = article.brand or article.schools.first().brands.first()
    school = article.schools.first()
    channel_url = article.channel.get_absolute_url()
    last_page = max(1, Article.objects.published().filter(channel=article.channel).count() // 20)
    pages = {
        "home": "/",
        "channel": channel_url,
        f"channel p.{last_page}": f"{channel_url}?page={last_page}",
        "article": article.get_absolute_url(),
        "rss": reverse("news:feed_rss"),
        "sitemap": "/sitemap.xml",
        "schools": "/schools/",
        "school": school.get_absolute_url() if school else "/schools/",
        "brand": brand.get_absolute_url() if brand else "/brands/",
        "awards": "/awards/",
        "stats": "/stats/",
    }
    cache.clear()
    client = Client()
    print(f"{total} published articles, {args.repeat} requests per page, {connection.vendor}")
    print("(sitemap: the first request builds it, the others come from its one-hour cache)")
    print(f"{'page':<14}{'status':>7}{'queries':>9}{'median ms':>11}{'p95 ms':>9}")
    for name, url in pages.items():
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"{name:<14}{response.status_code:>7}{len(queries):>9}"
            f"{statistics.median(timings):>11.1f}{p95:>9.1f}"
        )


def grow_articles(article_model, target):
    """Copy published demo articles, each a day further back, until there are ``target``."""
    from django.db import transaction

    template = list(article_model.objects.published().order_by("pk")[:50])
    have = article_model.objects.published().count()
    oldest = article_model.objects.published().order_by("publish_at").first().publish_at
    copies = []
    for index in range(max(0, target - have)):
        source = template[index % len(template)]
        source.pk = None
        source.id = None
        source.publish_at = oldest - timedelta(hours=6 * (index + 1))
        source.is_carousel = source.is_headline = source.is_pinned = False
        copies.append(
            article_model(
                **{f.attname: getattr(source, f.attname) for f in source._meta.concrete_fields}
            )
        )
    with transaction.atomic():
        article_model.objects.bulk_create(copies, batch_size=500)


if __name__ == "__main__":
    main()
