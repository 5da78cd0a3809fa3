"""The plain text of rich text, for excerpts, the search index and the publication gate.

Tags go, entities are decoded, and every block (paragraph, heading, list item, table cell,
figure, line break) ends a line, so that the last word of one paragraph never runs into the
first word of the next. Inline tags (``<strong>``, ``<span>``) leave nothing behind, so a word
an editor bolded half of stays one word. What the sanitiser removes with its content
(``portal.sanitize.REMOVED_WITH_CONTENT``: scripts, styles, iframes…) is never published and is
left out here too.
"""

import re
from html.parser import HTMLParser

from .sanitize import REMOVED_WITH_CONTENT

# Elements that end a line; the rest are inline.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}  # fmt: skip

# Elements without content: a removed one (an <embed>) hides nothing after it.
_VOID = {"area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}  # fmt: skip

# What HTML itself folds into one space: not the no-break space, which readers see as a space.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BLANK_AROUND_BREAKS = re.compile(r" *\n[\n ]*")
_SPACES = re.compile(r" {2,}")


def plain_text(html, captions=True):
    """The text a reader reads in ``html``, one line per block.

    With ``captions`` (the default) figure captions and images' alternative text are part of
    it, as everything published is; without, only the running text (excerpts and search).
    """
    if not html:
        return ""
    parser = _TextParser(captions)
    parser.feed(html)
    parser.close()
    text = _SPACES.sub(" ", "".join(parser.parts))
    return _BLANK_AROUND_BREAKS.sub("\n", text).strip()


class _TextParser(HTMLParser):
    def __init__(self, captions):
        super().__init__(convert_charrefs=True)
        self.captions = captions
        self.parts = []
        # Open elements whose content is left out (removed ones; captions when not wanted).
        self.skipped = []

    def _skips(self, tag):
        if tag in _VOID:
            return False
        return tag in REMOVED_WITH_CONTENT or (tag == "figcaption" and not self.captions)

    def handle_starttag(self, tag, attrs):
        if self.skipped:
            if tag == self.skipped[-1]:
                self.skipped.append(tag)
            return
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag == "img" and self.captions:
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.parts.append(f"\n{alt}\n")
        if self._skips(tag):
            self.skipped.append(tag)

    def handle_endtag(self, tag):
        if self.skipped:
            if tag == self.skipped[-1]:
                self.skipped.pop()
            return
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipped:
            # Line breaks in the source are spaces on the page; "\n" is kept for block ends.
            self.parts.append(_HTML_SPACE.sub(" ", data))
