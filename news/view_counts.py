"""View counts: the beacon adds to a counter in the shared cache; a flush writes the sums.

One ``UPDATE … SET view_count + 1`` per page view makes every reader a writer of the most read
rows (and, on SQLite, of the one database file). Instead:

- ``record(pk)`` adds one to the counter ``news:views:<pk>`` in the default cache (files on this
  machine, Redis in production), with no database write. The first view since the article was
  last flushed also registers it: it adds the marker ``news:views:dirty:<pk>`` and takes the
  next slot of a numbered list (``news:views:slots`` counts the slots, ``news:views:slot:<n>``
  holds the pk), so the flush finds the articles to write without listing cache keys, which
  neither backend does cheaply.
- ``flush()`` reads the slots after the last one it finished (``news:views:flushed``), then each
  article's counter, and in one transaction adds the counts to the day's ``ArticleViewDay`` row
  (the local date at flush time) and to ``Article.view_count``. Only after the commit does it
  subtract what it wrote from the counters, so views that arrived meanwhile stay for the next
  flush, and a failed write loses nothing: the same slots are read again.
- ``maybe_flush()`` runs after every beacon: the first one after ``VIEW_COUNT_FLUSH_SECONDS``
  flushes, in whichever process it lands; the lock that says so is also the interval timer.
  ``manage.py flush_view_counts`` flushes at once, for operators and timers.

Limits:

- The database is up to ``VIEW_COUNT_FLUSH_SECONDS`` behind, longer when no beacon comes and no
  timer runs the command. Views count on the day of the flush that writes them, so a view just
  before midnight may count for the next day.
- The file cache's ``incr`` reads and rewrites the file without a lock, and its ``add`` is a
  check then a write: views of one article at the same instant in two workers may count once,
  and two slots may get one number. Redis counts exactly.
- The cache is not storage. Views not yet flushed are lost when the cache is cleared, when Redis
  restarts without persistence or evicts keys (use a ``volatile-*`` or ``noeviction`` policy:
  these keys never expire), or when the file cache is full (``MAX_ENTRIES``) and culls entries.
  A lost key is never an error, only lost or late counts.
- An article whose slot went missing (claimed while a flush was reading the list, or culled)
  is registered again by its first view after its marker expires (``DIRTY_MARKER_SECONDS``);
  its counter keeps the views until then.
- A process that dies between the commit and the subtraction leaves counts that the next flush
  writes a second time.
- A cache that fails (Redis down, disk full) counts nothing, as the beacon always did.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.utils import timezone

from .models import Article, ArticleViewDay

logger = logging.getLogger(__name__)

COUNTER = "news:views:{pk}"
DIRTY = "news:views:dirty:{pk}"
SLOTS = "news:views:slots"
SLOT = "news:views:slot:{n}"
FLUSHED = "news:views:flushed"
FLUSH_LOCK = "news:views:flush-lock"
# Held while a flush runs, so the command and a beacon never write the same counts twice.
FLUSHING = "news:views:flushing"
FLUSHING_SECONDS = 5 * 60
# The marker expires so that an article whose slot was lost registers again (see Limits); an
# article read all the time registers at every flush anyway.
DIRTY_MARKER_SECONDS = 60 * 60
# Slots one flush reads; the rest wait for the next.
SLOTS_PER_FLUSH = 10_000
# Articles per SELECT or UPDATE: keeps the parameters within SQLite's limit.
BATCH = 500


def record(article_pk):
    """One view of the article, added in the cache only."""
    if _change(COUNTER.format(pk=article_pk), 1, create=True) is None:
        return
    if cache.add(DIRTY.format(pk=article_pk), 1, DIRTY_MARKER_SECONDS):
        slot = _change(SLOTS, 1, create=True)
        if slot is not None:
            cache.set(SLOT.format(n=slot), article_pk, None)


def maybe_flush():
    """Flush if no process did in the last ``VIEW_COUNT_FLUSH_SECONDS``; never raises for the
    database: the beacon still answers, and the counts wait in the cache for the next flush."""
    if not cache.add(FLUSH_LOCK, 1, settings.VIEW_COUNT_FLUSH_SECONDS):
        return 0
    try:
        return flush()
    except DatabaseError:
        logger.exception("View counts not written; they stay in the cache for the next flush")
        return 0


def flush():
    """Write the views gathered in the cache to the database.

    Returns how many views were written (views of deleted articles are dropped), or None when
    another flush is under way. Call it outside any transaction: the counters are reduced once
    its own transaction ends, which must be the commit."""
    if not cache.add(FLUSHING, 1, FLUSHING_SECONDS):
        return None
    try:
        return _flush()
    finally:
        cache.delete(FLUSHING)


def pending():
    """How many views wait in the cache for the next flush."""
    _last, _slot_keys, pks = _registered()
    return sum(_counts(pks).values())


def _flush():
    last, slot_keys, pks = _registered()
    if not slot_keys:
        return 0
    # Before the counters are read: a view from now on registers its article again, so none is
    # left in a counter that no slot points to.
    cache.delete_many([DIRTY.format(pk=pk) for pk in pks])
    counts = _counts(pks)
    existing = set()
    written = 0
    if counts:
        with transaction.atomic():
            existing = _existing(counts)
            written = _write({pk: n for pk, n in counts.items() if pk in existing})
    # Only after the commit: had the write failed, the counters and slots would be read again.
    for pk, views in counts.items():
        if pk in existing:
            _change(COUNTER.format(pk=pk), -views)
        else:
            cache.delete(COUNTER.format(pk=pk))  # the article was deleted: no view will come
    cache.set(FLUSHED, last, None)
    cache.delete_many(slot_keys)
    return written


def _registered():
    """(last slot read, their keys, the pks they hold) of the slots not yet flushed."""
    last = cache.get(SLOTS)
    if last is None:
        return 0, [], []
    done = cache.get(FLUSHED)
    if done is None:
        # The mark was lost: the slots just before the newest are the ones likely unflushed.
        done = max(0, last - SLOTS_PER_FLUSH)
    elif done > last:
        # The slot counter was lost and numbers from 1 again.
        done = 0
    last = min(last, done + SLOTS_PER_FLUSH)
    slot_keys = [SLOT.format(n=n) for n in range(done + 1, last + 1)]
    found = cache.get_many(slot_keys)
    pks = list(dict.fromkeys(found[key] for key in slot_keys if key in found))
    return last, slot_keys, pks


def _counts(pks):
    """{pk: views} of the articles whose counter holds views."""
    keys = {COUNTER.format(pk=pk): pk for pk in pks}
    found = cache.get_many(list(keys))
    return {keys[key]: views for key, views in found.items() if views > 0}


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


def _change(key, delta, create=False):
    """Add ``delta`` to a counter that never expires; None if the cache lost or refused it."""
    if create:
        cache.add(key, 0, None)
    try:
        value = cache.incr(key, delta)
        if value is not None:
            # Django's file cache stores what incr returns with the default timeout (5 minutes).
            cache.touch(key, None)
    except ValueError:  # no such key (a cleared, culled or broken cache), or it just expired
        return None
    return value
