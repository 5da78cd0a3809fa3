"""The embedded default cache: files on this machine's disk, shared by every gunicorn worker.

A cache is an optimisation, so a broken one must cost speed, never a page. With Redis,
django-redis's ``DJANGO_REDIS_IGNORE_EXCEPTIONS`` turns an outage into misses; this backend does
the same for Django's file cache when the disk is full, the folder unwritable or a file damaged.
"""

import functools
import logging
import os
import pickle
import random
import time
import zlib

from django.core.cache.backends import filebased
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.files import locks

logger = logging.getLogger(__name__)

# A file changed less than this long ago may be replaced again unseen by stat() (a reused inode, the
# same size, a modification time within the clock's coarse resolution): its value is not trusted
# from stat() alone.
STABLE_AFTER_SECONDS = 1
# Django's file cache lists its folder on every write to see whether it is over MAX_ENTRIES: 20 ms
# with a few thousand entries. This one looks at most this often (per process); in between the
# folder may grow past MAX_ENTRIES by what is written meanwhile.
CULL_CHECK_SECONDS = 10

# What a full disk, a missing or read-only folder, or a half-written file raise.
_DISK_ERRORS = (OSError, EOFError, pickle.UnpicklingError, zlib.error)


def _ignore_disk_errors(result):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _DISK_ERRORS:
                logger.warning("File cache %s: %s failed, ignored", self._dir, method.__name__)
                logger.debug("File cache error", exc_info=True)
                return result(*args, **kwargs) if callable(result) else result

        return wrapper

    return decorate


def _default_of_get(key, default=None, version=None):
    return default


class FileBasedCache(filebased.FileBasedCache):
    """Django's file cache; a disk error is a cache miss (reads) or a lost write (writes)."""

    def __init__(self, dir, params):
        self._stable = {}
        self._next_cull_check = 0
        try:
            super().__init__(dir, params)
        except OSError:
            # set() creates the folder again; until it can, every write is lost.
            logger.warning("File cache %s: the folder cannot be created", dir, exc_info=True)

    # Values are stored as they pickle, not zlib-compressed as Django's file cache stores them:
    # unpacking a 40 KB page took a fifth of a cached page's time, and the disk has the room
    # (MAX_ENTRIES bounds it). Files written compressed by an older version are still read.

    @_ignore_disk_errors(_default_of_get)
    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return _loads(f.read())
        except FileNotFoundError:
            pass
        return default

    def validate_key(self, key):
        # A key becomes an md5 file name: the memcached limits Django warns about (length,
        # spaces) do not apply, and checking each character cost a third of finding the file.
        pass

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull_check:
            return
        self._next_cull_check = now + CULL_CHECK_SECONDS
        filelist = self._list_cache_files()
        excess = len(filelist) - self._max_entries
        if excess < 0:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        # Django's share (1/CULL_FREQUENCY of the entries) and what was written past the limit
        # since the last look.
        for name in random.sample(filelist, excess + self._max_entries // self._cull_frequency):
            self._delete(name)

    @_ignore_disk_errors(_default_of_get)
    def get_stable(self, key, default=None, version=None):
        """``get`` for a small value that every request reads and that is rarely replaced (the
        page cache's generation): the value read before is returned again, after one stat(),
        while its file is the same file. Opening and unpickling it was a third of a cached
        page's time. Another process's ``set`` writes a new file, which is seen at once.

        Returns the same object each time: for immutable values only, and a few keys (this
        instance remembers one value per key).
        """
        path = self._key_to_file(key, version)
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            self._stable.pop(path, None)
            return default
        signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        known = self._stable.get(path)
        if known is not None and known[0] == signature:
            expiry, value = known[1:]
            if expiry is None or expiry >= time.time():
                return value
        try:
            with open(path, "rb") as f:
                entry = _read_entry(f)
        except FileNotFoundError:
            return default
        if entry is None:
            return default
        expiry, value = entry
        if time.time() - stat.st_mtime_ns / 1e9 >= STABLE_AFTER_SECONDS:
            self._stable[path] = (signature, expiry, value)
        else:
            self._stable.pop(path, None)
        return value

    def _write_content(self, file, timeout, value):
        self._write_entry(file, self.get_backend_timeout(timeout), value)

    def _write_entry(self, file, expiry, value):
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def _rewrite(self, key, version, change):
        """The entry replaced in place, under a lock, by ``change(expiry, value)``, which gives
        the new (expiry, value); returns that, or None when the entry has expired. Django's
        file cache reads, then writes a new file, and two workers at once could lose one's
        change."""
        with open(self._key_to_file(key, version), "r+b") as f:
            locks.lock(f, locks.LOCK_EX)
            try:
                entry = _read_entry(f)
                if entry is None:
                    return None
                entry = change(*entry)
                f.seek(0)
                self._write_entry(f, *entry)
                f.truncate()
                return entry
            finally:
                locks.unlock(f)

    set = _ignore_disk_errors(None)(filebased.FileBasedCache.set)

    @_ignore_disk_errors(False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Not the parent's add: it calls our set, which hides a failed write, and would report
        # success; throttles and rate limits rely on add failing when nothing was stored.
        if filebased.FileBasedCache.has_key(self, key, version):
            return False
        filebased.FileBasedCache.set(self, key, value, timeout, version)
        return True

    def incr(self, key, delta=1, version=None):
        """One locked rewrite of the entry that keeps its expiry: Django's file cache writes the
        sum with the default timeout (an entry meant to last would expire in five minutes)."""
        try:
            entry = self._rewrite(key, version, lambda expiry, value: (expiry, value + delta))
        except FileNotFoundError:
            entry = None
        except _DISK_ERRORS as error:
            # As a miss: the caller counts nothing, as for a key that is not there.
            logger.warning("File cache %s: incr failed, ignored", self._dir)
            raise ValueError(f"Key '{key}' not readable") from error
        if entry is None:
            raise ValueError(f"Key '{key}' not found")
        return entry[1]

    @_ignore_disk_errors(False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        expiry = self.get_backend_timeout(timeout)
        try:
            return self._rewrite(key, version, lambda _expiry, value: (expiry, value)) is not None
        except FileNotFoundError:
            return False

    delete = _ignore_disk_errors(False)(filebased.FileBasedCache.delete)
    has_key = _ignore_disk_errors(False)(filebased.FileBasedCache.has_key)
    clear = _ignore_disk_errors(None)(filebased.FileBasedCache.clear)


def _read_entry(f):
    """(expiry, value) of an open cache file, or None when it has expired."""
    expiry = pickle.load(f)
    if expiry is not None and expiry < time.time():
        return None
    return expiry, _loads(f.read())


def _loads(data):
    # A pickle starts with its protocol byte (0x80), a zlib stream with 0x78.
    return pickle.loads(zlib.decompress(data) if data[:1] == b"\x78" else data)
