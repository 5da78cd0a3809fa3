"""Text as the checks compare it, with the way back to what the editor wrote.

A word must be found however it is dressed up: “中华人 名共和国” with a space (or an
ideographic space, or ``&nbsp;``), a zero-width space pasted in between, full-width letters
and digits (ＷＴＯ, １３８…) or another case. ``normalize`` folds all that away (NFKC, lower
case, invisible characters dropped) and remembers for each character of the result where it
came from, so that a finding quotes the text as written and the words around it.

Line breaks are kept, as ``"\\n"``: they end a paragraph (``portal.plain_text``), and a word is
never read across two paragraphs.
"""

import unicodedata
from dataclasses import dataclass

LINE_BREAK = "\n"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Variation selectors change how a character looks, not which one it is.
_VARIATION_SELECTORS = frozenset(chr(code) for code in range(0xFE00, 0xFE10))

# How many characters either side of a finding its context shows.
CONTEXT_WIDTH = 15


def _invisible(char):
    # Format characters: zero-width space, joiners, word joiner, BOM, soft hyphen, bidi marks…
    return unicodedata.category(char) == "Cf" or char in _VARIATION_SELECTORS


@dataclass(frozen=True)
class Normalized:
    """``text`` is ``original`` normalised; ``text[i]`` comes from ``original[positions[i]]``."""

    original: str
    text: str
    positions: tuple[int, ...]

    def span(self, start, end):
        """The slice of ``original`` that ``text[start:end]`` comes from."""
        return self.positions[start], self.positions[end - 1] + 1

    def matched(self, start, end):
        first, last = self.span(start, end)
        return self.original[first:last]

    def context(self, start, end, width=CONTEXT_WIDTH):
        """The original text of the match with ``width`` characters either side, on one line."""
        first, last = self.span(start, end)
        around = self.original[max(0, first - width) : last + width]
        return "".join(" " if char in _LINE_BREAKS else char for char in around).strip()


def normalize(text, spaces=False):
    """``text`` folded for matching. Spaces are dropped, or with ``spaces`` each run of them
    becomes one ``" "`` (where numbers are read: two numbers must not become one)."""
    out, positions = [], []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).lower():
            if folded in _LINE_BREAKS:
                folded = LINE_BREAK
            elif folded.isspace():
                if not spaces or (out and out[-1] == " "):
                    continue
                folded = " "
            elif _invisible(folded):
                continue
            out.append(folded)
            positions.append(index)
    return Normalized(text, "".join(out), tuple(positions))


def normal_form(word):
    """How a word from the word lists is stored and matched: normalised, on one line."""
    return normalize(word).text.replace(LINE_BREAK, "")
