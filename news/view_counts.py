"""View counts: the beacon adds to a tally in the shared cache; a flush writes the sums.

The mechanism, its cache keys and its limits are those of ``portal.tallies``; the keys here are
``news:views:<pk>`` for an article's counter and ``news:views:…`` for the rest. A flush adds an
article's views to the day's ``ArticleViewDay`` row (the local date at flush time) and to
``Article.view_count``, in one transaction; the views of an article deleted meanwhile are
dropped. ``maybe_flush()`` runs after every beacon, at most every ``VIEW_COUNT_FLUSH_SECONDS``.
"""

from django.db import connection
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.utils import timezone

from portal.tallies import Tally

from .models import Article, ArticleViewDay

# Articles per SELECT or UPDATE: keeps the parameters within SQLite's limit.
BATCH = 500


def _store(counts):
    """The tally's write: {pk: views} of the articles that still exist, added to the database."""
    existing = _existing(counts)
    kept = {pk: views for pk, views in counts.items() if pk in existing}
    _write(kept)
    return kept


tally = Tally(
    "news:views",
    write=_store,
    interval_setting="VIEW_COUNT_FLUSH_SECONDS",
    label="View counts",
    unit="浏览",
    verbose_name="浏览次数",
    # The pk is a name already; the keys stay those written before tallies were shared.
    name=str,
)


def record(article_pk):
    """One view of the article, added in the cache only."""
    tally.add(article_pk)


def maybe_flush():
    """Flush if no process did in the last ``VIEW_COUNT_FLUSH_SECONDS``; never raises for the
    database: the beacon still answers, and the counts wait in the cache for the next flush."""
    return tally.maybe_flush()


def flush():
    """Write the views gathered in the cache to the database: how many, or None when another
    flush is under way (``Tally.flush``)."""
    return tally.flush()


def pending():
    """How many views wait in the cache for the next flush."""
    return tally.pending()


def _existing(counts):
    pks = sorted(counts)
    return {
        pk
        for start in range(0, len(pks), BATCH)
        for pk in Article.objects.filter(pk__in=pks[start : start + BATCH]).values_list(
            "pk", flat=True
        )
    }


def _write(counts):
    """Add ``counts`` to today's buckets and to the articles' lifetime counts."""
    if not counts:
        return 0
    quote = connection.ops.quote_name
    table = quote(ArticleViewDay._meta.db_table)
    article, day, views = (
        quote(ArticleViewDay._meta.get_field(name).column) for name in ("article", "day", "views")
    )
    # SQLite (3.24+) and PostgreSQL alike: a new row for the day, or the views added to it.
    upsert = (
        f"INSERT INTO {table} ({article}, {day}, {views}) VALUES (%s, %s, %s) "
        f"ON CONFLICT ({article}, {day}) DO UPDATE SET {views} = {table}.{views} + EXCLUDED.{views}"
    )
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    pks = sorted(counts)
    with connection.cursor() as cursor:
        cursor.executemany(upsert, [(pk, today, counts[pk]) for pk in pks])
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        added = Case(
            *(When(pk=pk, then=Value(counts[pk])) for pk in batch),
            default=Value(0),
            output_field=PositiveIntegerField(),
        )
        Article.objects.filter(pk__in=batch).update(view_count=F("view_count") + added)
    return sum(counts.values())
