"""Tallies: events counted in the shared cache and written to the database in batches.

One write per event (an ``UPDATE … + 1`` per page view, an ``INSERT`` per search) makes every
reader a writer, and on SQLite a writer of the one database file. A ``Tally`` counts each event
in the cache instead, and a flush writes the sums. An app makes one ``Tally`` per kind of event,
with a key prefix, a function that writes the sums, and the setting that says how often:

- ``add(member)`` adds one to the counter ``<prefix>:<name>`` in the default cache (files on
  this machine, Redis in production), with no database write. A member is what is counted (an
  article's pk, a search's query and number of results) and must pickle; ``<name>`` is the
  ``name`` given to the tally applied to it, by default a digest. The first event since the
  member was last flushed also registers it: it adds the marker ``<prefix>:dirty:<name>`` and
  takes the next slot of a numbered list (``<prefix>:slots`` counts the slots,
  ``<prefix>:slot:<n>`` holds the member itself), so the flush finds the members to write
  without listing cache keys, which neither backend does cheaply.
- ``flush()`` reads the slots after the last one it finished (``<prefix>:flushed``), then each
  member's counter, and calls ``write({member: count})`` in one transaction. Only after the
  commit does it subtract what was written from the counters, so events that arrived meanwhile
  stay for the next flush, and a failed write loses nothing: the same slots are read again.
  ``write`` returns the counts it wrote; a member it leaves out is dropped (an article that was
  deleted).
- ``maybe_flush()`` runs after the events (the view beacon, the search page): the first one after
  the interval setting flushes, in whichever process it lands; the lock that says so
  (``<prefix>:flush-lock``) is also the interval timer. ``manage.py flush_tallies`` flushes
  every tally at once, for operators and timers. No cron job is needed.

Limits:

- The database is up to the interval behind, longer when no event comes and no timer runs the
  command. An event is written at the time of the flush that writes it (a view counts for the
  day of the flush, a search is logged at the flush), so one just before midnight may count
  for the next day.
- The file cache's ``add`` is a check then a write: a member's first events at the same instant
  in two workers may register it twice, which the flush reads as once. Counts are exact: the
  file cache's ``incr`` (``portal.caches``) is a locked rewrite, Redis's is atomic.
- The cache is not storage. Events not yet flushed are lost when the cache is cleared, when
  Redis restarts without persistence or evicts keys (use a ``volatile-*`` or ``noeviction``
  policy: these keys never expire), or when the file cache is full (``MAX_ENTRIES``) and culls
  entries. A lost key is never an error, only lost or late counts.
- A member whose slot went missing (claimed while a flush was reading the list, or culled) is
  registered again by its first event after its marker expires (``DIRTY_MARKER_SECONDS``); its
  counter keeps the events until then.
- A process that dies between the commit and the subtraction leaves counts that the next flush
  writes a second time.
- A cache that fails (Redis down, disk full) counts nothing.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

# Held while a flush runs, so the command and a request never write the same counts twice.
FLUSHING_SECONDS = 5 * 60
# The marker expires so that a member whose slot was lost registers again (see Limits); a
# member counted all the time registers at every flush anyway.
DIRTY_MARKER_SECONDS = 60 * 60
# Slots one flush reads; the rest wait for the next.
SLOTS_PER_FLUSH = 10_000

_registry = {}


def digest(member):
    """A cache-key-safe name for any member; repr, unlike hash(), is the same in every process."""
    return hashlib.md5(repr(member).encode(), usedforsecurity=False).hexdigest()


class Tally:
    """Counts of ``member`` events for one kind of event; see the module docstring.

    ``write(counts)`` stores ``{member: count}`` and returns the part it stored. ``label`` names
    the events in the log, ``unit`` and ``verbose_name`` in the command's output (Chinese).
    """

    def __init__(self, prefix, *, write, interval_setting, label, unit, verbose_name, name=digest):
        if prefix in _registry:
            raise ValueError(f"a tally with the prefix {prefix!r} exists already")
        self.prefix = prefix
        self.write = write
        self.interval_setting = interval_setting
        self.label = label
        self.unit = unit
        self.verbose_name = verbose_name
        self.name = name
        self.slots_key = f"{prefix}:slots"
        self.flushed_key = f"{prefix}:flushed"
        self.flush_lock_key = f"{prefix}:flush-lock"
        self.flushing_key = f"{prefix}:flushing"
        _registry[prefix] = self

    def __repr__(self):
        return f"<Tally {self.prefix}>"

    def counter_key(self, member):
        return f"{self.prefix}:{self.name(member)}"

    def dirty_key(self, member):
        return f"{self.prefix}:dirty:{self.name(member)}"

    def slot_key(self, number):
        return f"{self.prefix}:slot:{number}"

    def add(self, member):
        """One event of ``member``, counted in the cache only."""
        if _change(self.counter_key(member), 1, create=True) is None:
            return
        if cache.add(self.dirty_key(member), 1, DIRTY_MARKER_SECONDS):
            slot = _change(self.slots_key, 1, create=True)
            if slot is not None:
                cache.set(self.slot_key(slot), member, None)

    def maybe_flush(self):
        """Flush if no process did within the interval; never raises for the database: the
        request still gets its answer, and the counts wait in the cache for the next flush."""
        if not cache.add(self.flush_lock_key, 1, getattr(settings, self.interval_setting)):
            return 0
        try:
            return self.flush()
        except DatabaseError:
            logger.exception(
                "%s not written; they stay in the cache for the next flush", self.label
            )
            return 0

    def flush(self):
        """Write the events gathered in the cache to the database.

        Returns how many events were written (those ``write`` dropped are not counted), or None
        when another flush of this tally is under way. Call it outside any transaction: the
        counters are reduced once its own transaction ends, which must be the commit."""
        if not cache.add(self.flushing_key, 1, FLUSHING_SECONDS):
            return None
        try:
            return self._flush()
        finally:
            cache.delete(self.flushing_key)

    def pending(self):
        """How many events wait in the cache for the next flush."""
        _last, _slot_keys, members = self._registered()
        return sum(self._counts(members).values())

    def _flush(self):
        last, slot_keys, members = self._registered()
        if not slot_keys:
            return 0
        # Before the counters are read: an event from now on registers its member again, so
        # none is left in a counter that no slot points to.
        cache.delete_many([self.dirty_key(member) for member in members])
        counts = self._counts(members)
        written = {}
        if counts:
            with transaction.atomic():
                written = self.write(counts)
        # Only after the commit: had the write failed, the counters and slots would be read again.
        for member in counts:
            if member in written:
                _change(self.counter_key(member), -written[member])
            else:
                cache.delete(self.counter_key(member))  # never to be written (a deleted article)
        cache.set(self.flushed_key, last, None)
        cache.delete_many(slot_keys)
        return sum(written.values())

    def _registered(self):
        """(last slot read, their keys, the members they hold) of the slots not yet flushed."""
        last = cache.get(self.slots_key)
        if last is None:
            return 0, [], []
        done = cache.get(self.flushed_key)
        if done is None:
            # The mark was lost: the slots just before the newest are the ones likely unflushed.
            done = max(0, last - SLOTS_PER_FLUSH)
        elif done > last:
            # The slot counter was lost and numbers from 1 again.
            done = 0
        last = min(last, done + SLOTS_PER_FLUSH)
        slot_keys = [self.slot_key(n) for n in range(done + 1, last + 1)]
        found = cache.get_many(slot_keys)
        members = list(dict.fromkeys(found[key] for key in slot_keys if key in found))
        return last, slot_keys, members

    def _counts(self, members):
        """{member: count} of the members whose counter holds events, in the order of their
        slots."""
        keys = {member: self.counter_key(member) for member in members}
        found = cache.get_many(list(keys.values()))
        return {member: found[key] for member, key in keys.items() if found.get(key, 0) > 0}


def registered():
    """Every tally, in the order they were made (apps make theirs when they are ready)."""
    return list(_registry.values())


def _change(key, delta, create=False):
    """Add ``delta`` to a counter that never expires (made at 0 when ``create``); None if the
    cache lost or refused it."""
    try:
        # Keeps the counter's expiry (none) on Redis and on portal.caches' file cache.
        return cache.incr(key, delta)
    except ValueError:  # no such key (new, or a cleared, culled or broken cache)
        if not create:
            return None
    cache.add(key, 0, None)
    try:
        return cache.incr(key, delta)
    except ValueError:  # the cache refuses to keep it
        return None
