"""Matched words marked in a title or snippet: the text escaped, only our ``<mark>`` is markup."""

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .segment import normalise


def _normalised_with_positions(text):
    """``text`` normalised as the index saw it, and for each of its characters the position of
    the original character it came from (NFKC may turn one character into several)."""
    chars, positions = [], []
    for position, char in enumerate(text):
        for normal in _normal(char):
            chars.append(normal)
            positions.append(position)
    return "".join(chars), positions


@lru_cache(maxsize=8192)
def _normal(char):
    # A result page reads some 40,000 characters of bodies, mostly the same few thousand.
    return normalise(char)


def _spans(text, words):
    """Sorted, non-overlapping (start, end) spans of ``text`` where any of ``words`` occurs."""
    normal, positions = _normalised_with_positions(text)
    spans = []
    for word in words:
        start = normal.find(word)
        while start != -1:
            end = start + len(word)
            spans.append((positions[start], positions[end - 1] + 1))
            start = normal.find(word, end)
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text, words):
    parts, last = [], 0
    for start, end in _spans(text, words):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece of ``text`` went through escape()


def snippet(text, words, length=120):
    """About ``length`` characters of ``text`` around its first match, highlighted."""
    spans = _spans(text, words)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - length // 3, len(text) - length))
    part = text[start : start + length]
    marked = highlight(part, words)
    before = "…" if start > 0 else ""
    after = "…" if start + length < len(text) else ""
    return mark_safe(f"{before}{marked}{after}")
