"""A reviewer's view of a rich-text change: the new text, changed blocks marked.

Both sides go through :func:`portal.sanitize.clean_html` first, and the output only cuts that
sanitised HTML at the boundaries of its top-level elements (paragraphs, figures, tables…) and
wraps whole blocks in ``<ins>``/``<del>``, so it is as safe as the sanitised input.
"""

from difflib import SequenceMatcher
from html.parser import HTMLParser
from itertools import pairwise

from django.utils.safestring import mark_safe

from .sanitize import clean_html

VOID_TAGS = {"br", "hr", "img"}


class _BlockSplitter(HTMLParser):
    """Offsets where top-level elements start and end (the sanitiser writes ``</tag>``)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.cuts = {0, len(html)}
        self._line_starts = [0]
        for line in html.splitlines(keepends=True):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self.feed(html)
        self.close()

    def _offset(self):
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.cuts.add(self._offset())
            if tag in VOID_TAGS:
                self.cuts.add(self._offset() + len(self.get_starttag_text()))
        if tag not in VOID_TAGS:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            self.cuts.add(self._offset() + len(f"</{tag}>"))


def html_blocks(html):
    """The top-level blocks of sanitised ``html`` (whitespace between them dropped)."""
    cuts = sorted(_BlockSplitter(html).cuts)
    pieces = (html[start:end] for start, end in pairwise(cuts))
    return [piece for piece in pieces if piece.strip()]


def rendered_change(old_html, new_html):
    """``new_html`` rendered with blocks not in ``old_html`` in ``<ins>`` and removed ones in
    ``<del>`` (``class="body-diff"``); without ``old_html``, just the sanitised new text."""
    new_blocks = html_blocks(clean_html(new_html or ""))
    if old_html is None:
        return mark_safe("".join(new_blocks))
    old_blocks = html_blocks(clean_html(old_html or ""))
    parts = []
    matcher = SequenceMatcher(a=old_blocks, b=new_blocks, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            parts += new_blocks[new_start:new_end]
            continue
        parts += [
            f'<del class="body-diff">{block}</del>' for block in old_blocks[old_start:old_end]
        ]
        parts += [
            f'<ins class="body-diff">{block}</ins>' for block in new_blocks[new_start:new_end]
        ]
    return mark_safe("".join(parts))
