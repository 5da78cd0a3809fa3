"""A small element tree of HTML that a parser has already normalised.

The sanitiser reads its first ``nh3`` pass's output with it, and the content scan the pages
our templates render: HTML in which every element is closed, so the standard library's
tokenizer builds the same tree a browser would. It is not a parser for arbitrary HTML: what
reaches the public is always the second, strict ``nh3`` pass's output, never this module's.
"""

from html import escape
from html.parser import HTMLParser

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip
# Their text is code, not something a reader sees.
NOT_TEXT_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title"})


class Element:
    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag, attrs=None, parent=None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children = []
        self.parent = parent

    def __repr__(self):
        return f"<Element {self.tag} {self.attrs}>"

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def elements(self, *tags):
        """Every element below this one, in document order; only those named ``tags`` if any."""
        for child in self.children:
            if isinstance(child, Element):
                if not tags or child.tag in tags:
                    yield child
                yield from child.elements(*tags)

    def text(self):
        """The text of everything below, as a reader would read it (no script or style)."""
        return "".join(_texts(self))

    def is_attached(self):
        node = self
        while node.parent is not None:
            node = node.parent
        return node.tag == ""

    def remove(self):
        self.parent.children.remove(self)
        self.parent = None

    def unwrap(self):
        """Replace this element by its children."""
        index = self.parent.children.index(self)
        for child in self.children:
            if isinstance(child, Element):
                child.parent = self.parent
        self.parent.children[index : index + 1] = self.children
        self.parent = None

    def replace_with(self, element):
        index = self.parent.children.index(self)
        self.parent.children[index] = element
        element.parent = self.parent
        self.parent = None


def _texts(element):
    for child in element.children:
        if isinstance(child, str):
            yield child
        elif child.tag not in NOT_TEXT_TAGS:
            yield from _texts(child)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("")
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, parent=self.current)
        for name, value in attrs:
            element.attrs.setdefault(name, value or "")  # the first one counts, as in browsers
        self.current.children.append(element)
        if tag not in VOID_TAGS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    """The tree of ``html``: a root element (tag ``""``) holding the top-level nodes."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def serialize(node):
    """``node``'s children (the root) or ``node`` itself as HTML."""
    if node.tag == "":
        return "".join(_serialize(child) for child in node.children)
    return _serialize(node)


def _serialize(node):
    if isinstance(node, str):
        return escape(node, quote=False)
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in node.attrs.items())
    if node.tag in VOID_TAGS:
        return f"<{node.tag}{attrs}>"
    inner = "".join(_serialize(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
