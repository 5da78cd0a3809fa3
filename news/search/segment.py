"""Chinese word segmentation for search: the same words at indexing and at query time.

jieba in search mode (``cut_for_search``) gives a long word and the dictionary words inside it
(家校共育 → 家校共育 and any of 家校, 共育 the dictionary knows), so a document is found by the
whole term and by its parts. The HMM guesser for unknown words is off: it guesses differently
in different contexts, and a word guessed one way in a document and another in a query would
never match. Unknown words are cut into single characters instead, consistently.

The dictionary is jieba's own, the domain terms in ``terms.txt``, the terms staff add
(``SearchTerm``, 检索词典) and the names of schools, brands, channels and tags, read at first
use and again after any of them changed (on any worker: the names' version is kept in the
shared cache). jieba's dictionary and ``terms.txt`` are read from a file every process maps
(``dictionary``; in ``settings.SEARCH_DICTIONARY_DIR``), not built as Python objects in each.
"""

import re
import threading
import unicodedata
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from .dictionary import CompactTokenizer, open_or_build

TERMS_FILE = Path(__file__).with_name("terms.txt")
QUERY_MAX_LENGTH = 100
# Domain terms and names must win over jieba's own words and over splitting.
TERM_FREQUENCY = 200_000
NAMES_VERSION_KEY = "search:names_version"
# Words are looked into for shorter words up to this length (school names are about ten).
LONGEST_WORD = 20

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# A word is a run of ASCII letters and digits or a run of other letters; punctuation, spaces
# and underscores separate words, as they do for SQLite's and PostgreSQL's own tokenizers.
_WORD = re.compile(r"[a-z0-9]+|[^\W_a-z0-9]+")

_lock = threading.Lock()
_tokenizer = None
_names_version = None
# Set in a worker process of reindex_search: the names it was given, never the database's.
_pinned = False


def normalise(text):
    """Full-width to half-width (NFKC), Latin in lower case, zero-width characters dropped."""
    return unicodedata.normalize("NFKC", str(text)).translate(_ZERO_WIDTH).lower()


def words(text):
    """The words of ``text`` as the index keeps them, in order, repeats included."""
    tokenizer = _current_tokenizer()
    found = []
    for token in tokenizer.cut_for_search(normalise(text), HMM=False):
        found.extend(_WORD.findall(token))
        for part in _longer_parts(tokenizer, token):
            found.extend(_WORD.findall(part))
    return found


def _longer_parts(tokenizer, token):
    """The dictionary words of four or more characters inside ``token``: search mode gives
    only those of two and three, and 青湾区文昌小学 must be found by 文昌小学 too."""
    if token.isascii() or len(token) > LONGEST_WORD:
        return
    for length in range(4, len(token)):
        for start in range(len(token) - length + 1):
            part = token[start : start + length]
            if tokenizer.FREQ.get(part):
                yield part


def query_words(text):
    """The distinct words a query asks for, all of which a result must contain.

    Single characters are dropped when longer words remain: 在家校共育 asks for 家校共育,
    not for every article with a 在."""
    distinct = list(dict.fromkeys(words(normalise(text)[:QUERY_MAX_LENGTH])))
    longer = [word for word in distinct if len(word) > 1]
    return longer or distinct


def names_changed():
    """A school, brand, channel or tag was saved: every worker reads the names again."""
    cache.set(NAMES_VERSION_KEY, uuid.uuid4().hex, None)


def dictionary_names():
    """The names the dictionary holds besides ``terms.txt`` (for ``pin_names``)."""
    return sorted(_names())


def pin_names(names):
    """In a worker process that cuts text for another one: use exactly ``names`` (the other's
    ``dictionary_names()``), so both cut alike, and never ask the database or the cache."""
    global _tokenizer, _pinned
    tokenizer = _new_tokenizer()
    for name in names:
        tokenizer.add_word(name, TERM_FREQUENCY)
    _tokenizer, _pinned = tokenizer, True


def _current_tokenizer():
    global _tokenizer, _names_version
    if _pinned:
        return _tokenizer
    version = cache.get(NAMES_VERSION_KEY)
    if _tokenizer is not None and version == _names_version:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = _new_tokenizer()
        # jieba cannot forget a word: a renamed school's old name stays known, which is harmless.
        for name in _names():
            _tokenizer.add_word(name, TERM_FREQUENCY)
        _names_version = version
    return _tokenizer


def _new_tokenizer():
    return CompactTokenizer(open_or_build(_terms(), settings.SEARCH_DICTIONARY_DIR))


def _terms():
    """(word, frequency) of each term of ``terms.txt``, in its order."""
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        term, _, frequency = line.strip().partition(" ")
        if term and not term.startswith("#"):
            yield normalise(term), int(frequency or TERM_FREQUENCY)


def _names():
    from taggit.models import Tag

    from brands.models import Brand, School
    from news.models import Channel, SearchTerm

    names = [
        *SearchTerm.objects.values_list("term", flat=True),
        *School.objects.values_list("name", flat=True),
        *School.objects.exclude(short_name="").values_list("short_name", flat=True),
        *Brand.objects.values_list("name", flat=True),
        *Channel.objects.values_list("name", flat=True),
        *Tag.objects.values_list("name", flat=True),
    ]
    return {normalise(name).strip() for name in names if name.strip()}
