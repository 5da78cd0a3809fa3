"""jieba's dictionary in a file mapped into memory: the same words and frequencies, a fraction
of the memory.

jieba keeps its dictionary as a Python dict of about 500,000 entries (every word and every
prefix of one, at frequency 0), some 60 MiB in each process that cuts text. Here the same keys
go into a marisa trie and their frequencies into an array, written once into one file that every
process maps read-only: the pages are read from disk on demand and shared between the gunicorn
workers instead of being built as Python objects in each.

The file holds jieba's ``dict.txt`` with the project's terms added as ``add_word`` adds them;
its name carries a hash of both, so a new jieba or an edited ``terms.txt`` gets a file of its
own. Words added while running (names, staff terms) are kept in a small dict beside the trie.
``CompactTokenizer`` is a ``jieba.Tokenizer`` whose ``FREQ`` answers from the two; it reads the
word graph from the trie and finds the best path with jieba's own sums, so it cuts exactly as
jieba does with its dict (``tests/news/test_search_dictionary.py`` compares them).
"""

import fcntl
import hashlib
import importlib
import json
import logging
import mmap
import os
import struct
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Mapping
from contextlib import contextmanager
from math import log
from pathlib import Path

import marisa_trie

logger = logging.getLogger(__name__)


def _import_jieba():
    """jieba opens its data files through pkg_resources when that can be imported, which reads
    the metadata of every installed distribution: some 5 MiB in each worker, for nothing.
    Without it jieba opens them by path."""
    if "pkg_resources" in sys.modules:
        return importlib.import_module("jieba")
    sys.modules["pkg_resources"] = None
    try:
        return importlib.import_module("jieba")
    finally:
        del sys.modules["pkg_resources"]


jieba = _import_jieba()

JIEBA_DICTIONARY = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
# Bumped whenever the layout below changes, so an old file is never read as a new one.
FORMAT = b"jbtrie01"
# magic, frequency typecode, total, number of keys, longest key, bytes of frequencies
_HEADER = struct.Struct("=8s8sQQQQ")


class WordFrequencies:
    """The part of a dict jieba uses as ``Tokenizer.FREQ`` (``in``, ``[]``, ``get``, setting an
    item): the trie's keys and frequencies, overlaid by the words set while running."""

    def __init__(self, trie, counts, total, longest, keep_alive=()):
        self.trie = trie
        self.counts = counts
        self.total = total
        self.longest = longest
        self.added = {}
        # Every prefix of an added word, so a walk along a sentence can stop at the first miss.
        self.added_prefixes = set()
        # The trie's ids of the words ``added`` overrides.
        self.replaced = set()
        # The mapping behind the trie and the counts, which the trie does not keep alive itself.
        self._keep_alive = keep_alive

    def __contains__(self, word):
        return word in self.added or word in self.trie

    def __getitem__(self, word):
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def get(self, word, default=None):
        value = self.added.get(word)
        if value is not None:
            return value
        key_id = self.trie.get(word)
        return default if key_id is None else self.counts[key_id]

    def __setitem__(self, word, frequency):
        self.added[word] = frequency
        self.added_prefixes.update(word[:end] for end in range(1, len(word) + 1))
        key_id = self.trie.get(word)
        if key_id is not None:
            self.replaced.add(key_id)

    @classmethod
    def build(cls, terms):
        """jieba's dictionary plus ``terms`` ((word, frequency) pairs, applied in order as
        ``add_word`` would), with the same keys and total as ``jieba.Tokenizer`` makes."""

        def entries():
            # Parsed as Tokenizer.gen_pfdict does; a later line of the same word wins.
            with open(JIEBA_DICTIONARY, "rb") as lines:
                for line in lines:
                    word, frequency = line.strip().decode("utf-8").split(" ")[:2]
                    yield word, int(frequency)
            yield from terms

        def keys():
            for word, _frequency in entries():
                for end in range(1, len(word) + 1):
                    yield word[:end]

        trie = marisa_trie.Trie(keys())
        counts = array("q", bytes(8 * len(trie)))
        total = longest = 0
        for word, frequency in entries():
            counts[trie[word]] = frequency
            total += frequency
            longest = max(longest, len(word))
        if min(counts, default=0) >= 0 and max(counts, default=0) <= 0xFFFF_FFFF:
            counts = array("I", counts)
        return cls(trie, counts, total, longest)

    def write(self, path):
        """Into ``path`` at once: a reader sees the whole file or none (several workers may
        start together)."""
        counts = self.counts.tobytes()
        header = _HEADER.pack(
            FORMAT, self.counts.typecode.encode(), self.total, len(self.trie), self.longest,
            len(counts),
        )  # fmt: skip
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as file:
            try:
                # The trie is mapped where it starts, so it starts at a multiple of 8.
                file.write(header + counts + bytes(-len(counts) % 8))
                file.write(self.trie.tobytes())
                file.flush()
                os.fsync(file.fileno())
                # Readable by every process that searches, whichever user wrote it.
                os.fchmod(file.fileno(), 0o644)
                os.replace(file.name, path)
            except BaseException:
                os.unlink(file.name)
                raise

    @classmethod
    def open(cls, path):
        """The file ``write`` wrote, mapped: nothing is read until a word is looked up."""
        with open(path, "rb") as file:
            mapping = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(mapping)
        if len(view) < _HEADER.size:
            raise ValueError(f"{path} is not a search dictionary file")
        magic, typecode, total, keys, longest, size = _HEADER.unpack_from(view)
        start = _HEADER.size + size + (-size % 8)
        if magic != FORMAT or start >= len(view):
            raise ValueError(f"{path} is not a search dictionary file")
        counts = view[_HEADER.size : _HEADER.size + size].cast(typecode.rstrip(b"\0").decode())
        trie_bytes = view[start:]
        trie = marisa_trie.Trie()
        trie.map(trie_bytes)
        if len(trie) != keys or len(counts) != keys:
            raise ValueError(f"{path} is not a whole search dictionary file")
        return cls(trie, counts, total, longest, keep_alive=(mapping, view, trie_bytes))


class CompactTokenizer(jieba.Tokenizer):
    """``jieba.Tokenizer`` on ``WordFrequencies``: ``add_word``, ``cut`` and ``cut_for_search``
    are jieba's own. Its word graph is read from the trie, which lists the words starting at a
    position in one call where jieba looks up each prefix in its dict."""

    def __init__(self, frequencies):
        super().__init__()
        self.FREQ = frequencies
        self.total = frequencies.total
        self.initialized = True

    def get_DAG(self, sentence):
        return _WordGraph(self.FREQ, sentence)

    def calc(self, sentence, DAG, route):
        """jieba's best path: the same sums, compared the same way (``max`` of (score, end)),
        each word's frequency taken from the trie walk that found it. The graph is walked here
        rather than built first: this loop is most of the time of indexing."""
        if not isinstance(DAG, _WordGraph):
            return super().calc(sentence, DAG, route)
        frequencies = self.FREQ
        prefixes = frequencies.trie.iter_prefixes_with_ids
        counts, replaced, added_prefixes = (
            frequencies.counts, frequencies.replaced, frequencies.added_prefixes,
        )  # fmt: skip
        longest = frequencies.longest
        size = len(sentence)
        route[size] = (0, 0)
        logtotal = log(self.total)
        for start in range(size - 1, -1, -1):
            best = None
            for word, key_id in prefixes(sentence[start : start + longest]):
                count = counts[key_id]
                if count and key_id not in replaced:
                    end = start + len(word) - 1
                    path = (log(count) - logtotal + route[end + 1][0], end)
                    if best is None or path > best:
                        best = path
            if sentence[start] in added_prefixes:
                for end, count in DAG.added_words_at(start):
                    path = (log(count) - logtotal + route[end + 1][0], end)
                    if best is None or path > best:
                        best = path
            if best is None:
                # Not a word: jieba counts it once (its ``FREQ.get(...) or 1``).
                best = (log(1) - logtotal + route[start + 1][0], start)
            route[start] = best


class _WordGraph(Mapping):
    """jieba's DAG of ``sentence`` (start → ends of the dictionary words starting there, or the
    start alone), read from the trie when asked."""

    def __init__(self, frequencies, sentence):
        self.frequencies = frequencies
        self.sentence = sentence

    def __getitem__(self, start):
        if start not in range(len(self.sentence)):
            raise KeyError(start)
        frequencies = self.frequencies
        fragment = self.sentence[start : start + frequencies.longest]
        ends = [
            start + len(word) - 1
            for word, key_id in frequencies.trie.iter_prefixes_with_ids(fragment)
            if frequencies.counts[key_id] and key_id not in frequencies.replaced
        ]
        ends += [end for end, _count in self.added_words_at(start)]
        return sorted(ends) or [start]

    def __iter__(self):
        return iter(range(len(self.sentence)))

    def __len__(self):
        return len(self.sentence)

    def added_words_at(self, start):
        """(end, frequency) of the words added while running that start at ``start``."""
        added, added_prefixes = self.frequencies.added, self.frequencies.added_prefixes
        end, fragment = start, self.sentence[start]
        while end < len(self.sentence) and fragment in added_prefixes:
            if count := added.get(fragment):
                yield end, count
            end += 1
            fragment = self.sentence[start : end + 1]


def open_or_build(terms, folder):
    """A ``WordFrequencies`` of jieba's dictionary and ``terms``, from its file in ``folder``,
    written first if missing. When the folder cannot be written this process maps a private
    copy instead: search still works, only the pages are no longer shared."""
    terms = list(terms)
    path = Path(folder) / f"jieba-{_fingerprint(terms)}.dict"
    try:
        return WordFrequencies.open(path)
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        logger.warning("Search dictionary %s is unreadable; writing it again.", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _folder_lock(path.parent):
            # The first worker to get here writes the file while the others wait for it.
            try:
                return WordFrequencies.open(path)
            except (OSError, ValueError):
                _write_file(terms, path)
                return WordFrequencies.open(path)
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        logger.warning("Cannot write %s (%s); this process maps a copy of its own.", path, error)
    try:
        with tempfile.TemporaryDirectory(prefix="search-dictionary-") as private:
            # Mapped, the file outlives its name and folder.
            _write_file(terms, Path(private) / path.name)
            return WordFrequencies.open(Path(private) / path.name)
    except (OSError, ValueError, subprocess.SubprocessError):
        logger.exception("Cannot write a search dictionary anywhere; building it in memory.")
        return WordFrequencies.build(terms)


def _write_file(terms, path):
    """Built by a Python process of its own: building needs some 60 MiB for a few seconds,
    which in a gunicorn worker would stay its peak memory for good."""
    subprocess.run(
        [sys.executable, "-I", __file__, str(path)],
        input=json.dumps(terms),
        text=True,
        check=True,
        timeout=600,
    )


def _fingerprint(terms):
    digest = hashlib.sha256(FORMAT)
    with open(JIEBA_DICTIONARY, "rb") as dictionary:
        digest.update(hashlib.file_digest(dictionary, "sha256").digest())
    for word, frequency in terms:
        digest.update(f"{word} {frequency}\n".encode())
    return digest.hexdigest()[:16]


@contextmanager
def _folder_lock(folder):
    """Held by one process at a time: the others wait at ``flock``."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


if __name__ == "__main__":
    # ``_write_file``'s process: the terms on stdin, the file's path as argument.
    WordFrequencies.build(json.load(sys.stdin)).write(Path(sys.argv[1]))
