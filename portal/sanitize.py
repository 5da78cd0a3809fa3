"""The one place rich text is cleaned, for every rich-text field of every app.

Editors paste from Word and from other websites; whatever arrives, the stored HTML only keeps
an allow-list of tags and attributes (``nh3``, the Rust ``ammonia`` sanitiser):

* no scripts, styles, event handlers, iframes, embeds or forms: they are removed with their
  content; ``style`` attributes are dropped too;
* what the author had hidden from readers goes with its content: blocks hidden by an inline
  style or the ``hidden`` attribute, and links with nothing visible to click (a one-pixel
  image, blanks, empty elements): the classic hiding places of injected spam links (暗链);
  the rules are in ``portal.hidden_content``;
* links only to ``http``, ``https`` and ``mailto`` addresses (or relative ones), always with
  ``rel="noopener noreferrer"``; ammonia reads the scheme as browsers do (case, tabs and
  newlines ignored), so ``java<TAB>script:`` is refused like ``javascript:``;
* images only from this site (relative URLs, or absolute URLs on one of ``ALLOWED_HOSTS``),
  judged on the address a browser would fetch: ``ada-url`` parses it by the same WHATWG rules,
  so a backslash for a slash or a ``\\@`` in the host cannot smuggle in another host; images
  pasted from Word arrive as ``file://`` paths no browser can load and are removed, and the
  caller learns how many so it can ask the editor to upload them;
* what Word and WPS leave besides the text (Office classes and styles, ``lang``, ``<o:p>``,
  empty spans, ``&nbsp;`` paragraphs) goes; their list paragraphs become real lists;
* CKEditor 5's figures with captions (a caption is the alt text of an image without one),
  tables and the alignment/image-style classes it writes.

How: a first ``nh3`` pass parses as browsers do and removes what goes with its content, but
keeps styles, sizes, event handlers and unknown tags; a small tree of its output is where the
hidden content, Word's residue and foreign images are removed and everything is reported; the
second, strict pass is what is stored, so nothing the tree code does can let markup through.

Use :func:`clean_html` in a model's ``save()`` and :func:`sanitize` where the editor should be
told what was removed (``CleanResult.removed``, the removed images' counts).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from ada_url import URL
from django.conf import settings

from . import html_tree
from .hidden_content import hiding, invisible_link, links_in, style_declarations, visible_text

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "mark", "blockquote", "ul", "ol", "li", "a", "img", "figure", "figcaption", "table",
    "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr", "pre", "code", "span", "div",
}  # fmt: skip

# Removed together with everything inside them.
REMOVED_WITH_CONTENT = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "template", "svg", "math", "form", "textarea", "select", "button", "head", "title",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}

_ALIGN = {"text-left", "text-center", "text-right", "text-justify"}
ALLOWED_CLASSES = {
    "figure": {
        "image",
        "table",
        "image_resized",
        "image-style-side",
        "image-style-align-left",
        "image-style-align-right",
        "image-style-align-center",
        "image-style-block-align-left",
        "image-style-block-align-right",
    },
    "p": _ALIGN,
    "h2": _ALIGN,
    "h3": _ALIGN,
    "h4": _ALIGN,
}

URL_SCHEMES = {"http", "https", "mailto"}

HIDDEN_LINK_LABEL = "隐藏链接（暗链）"

# The first pass keeps these on every tag it keeps, for the tree to judge what was hidden.
_FIRST_PASS_ATTRIBUTES = {
    "*": {"style", "hidden", "width", "height", "class", "lang"},
    **{tag: names | {"style", "hidden", "width", "height", "class", "lang"}
       for tag, names in ALLOWED_ATTRIBUTES.items()},
}  # fmt: skip
# Tag names the first pass may keep when it meets them (not Word's namespaced ``o:p``).
_TAG_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_NEVER_KEPT = {"html", "body", "meta", "base", "link"}

# Tags that are reported by what they are; any other tag outside the allow-list is “未知标签”.
_TAG_LABELS = {
    "script": "脚本", "iframe": "嵌入页面", "frame": "嵌入页面", "frameset": "嵌入页面",
    "object": "嵌入对象", "embed": "嵌入对象", "applet": "嵌入对象", "base": "基准地址",
    "style": "样式表", "link": "外部文件", "svg": "矢量图形", "math": "数学公式", "form": "表单",
    "input": "表单控件", "textarea": "表单控件", "select": "表单控件", "button": "表单控件",
}  # fmt: skip
# Reported even inside something removed with its content (a script in a <noscript>).
_ALWAYS_REPORTED = {"script", "iframe", "frame", "object", "embed", "applet", "base", "meta"}
# Not worth a word to the editor: page scaffolding, Word's 标题 1 (kept as <h2>).
_SILENT_TAGS = {"html", "head", "body", "title", "h1", "option", "optgroup"}
_URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "background", "poster",
    "lowsrc", "dynsrc", "cite",
}  # fmt: skip
_DANGEROUS_SCHEMES = {"javascript", "vbscript", "data"}
# Elements without an end tag: nothing is inside them.
_VOID_TAGS = html_tree.VOID_TAGS | {"frame"}

_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_EMPTY_FIGURE = re.compile(
    r"<figure[^>]*>\s*(?:<figcaption>.*?</figcaption>)?\s*</figure>", re.DOTALL
)
# Word's list markers (“1.”, “·”) are text between these; browsers other than Word show them.
_WORD_LIST_MARKER = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.DOTALL | re.I)
_ORDERED_MARKER = re.compile(r"^[(（]?([0-9]+|[a-zA-Z]|[ivxlc]+|[一二三四五六七八九十]+)[.．、)）]")


@dataclass(frozen=True)
class Removal:
    """Something the sanitiser removed that the editor should be told about."""

    # What it was, for the editor: “脚本 <script>”, “事件属性 onclick”, “隐藏链接（暗链）…”.
    label: str
    count: int = 1
    # For a hidden link (暗链): the address it pointed to.
    link: str = ""


@dataclass(frozen=True)
class CleanResult:
    html: str
    removed_local_images: int = 0
    removed_foreign_images: int = 0
    removed: tuple[Removal, ...] = ()

    @property
    def hidden_links(self):
        return tuple(removal for removal in self.removed if removal.link)


def clean_html(html):
    """Sanitised HTML; safe to call on already clean HTML (the result does not change)."""
    return sanitize(html).html


def sanitize(html):
    """Sanitise ``html`` and report what was removed that the editor should know about."""
    if not html:
        return CleanResult("")
    html = _WORD_LIST_MARKER.sub(r'<span style="mso-list:Ignore">\1</span>', html)
    report = _Report()
    inspector = _Inspector(report)
    inspector.feed(html)
    inspector.close()
    # First pass: the parse browsers make and the same removals with content, but tags,
    # styles, sizes, event handlers and script addresses are kept for the tree below to see
    # and report; the second pass is the strict one.
    tree = html_tree.parse(
        nh3.clean(
            html,
            tags=(ALLOWED_TAGS | inspector.tags) - REMOVED_WITH_CONTENT - _NEVER_KEPT,
            clean_content_tags=REMOVED_WITH_CONTENT,
            attributes=_FIRST_PASS_ATTRIBUTES,
            generic_attribute_prefixes={"on"},
            url_schemes=URL_SCHEMES | _DANGEROUS_SCHEMES,
            link_rel=None,
            strip_comments=True,
        )
    )
    _remove_scripting(tree, report)
    _remove_hidden(tree, report)
    _tidy(tree)
    cleaned = nh3.clean(
        html_tree.serialize(tree),
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # The tree has dropped them already; this is a second line for what the parsers differ on.
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    cleaned = _EMPTY_FIGURE.sub("", cleaned).strip()
    return CleanResult(cleaned, inspector.local, inspector.foreign, report.removals())


class _Report:
    def __init__(self):
        self._counts = {}

    def add(self, label, link=""):
        self._counts[label, link] = self._counts.get((label, link), 0) + 1

    def removals(self):
        return tuple(Removal(label, count, link) for (label, link), count in self._counts.items())


def _remove_scripting(tree, report):
    for element in tree.elements():
        for name, value in list(element.attrs.items()):
            label = _attribute_label(name, value)
            if label:
                report.add(label)
                del element.attrs[name]


def _remove_hidden(tree, report):
    """Remove what readers could not see: hidden blocks and invisible links (暗链)."""
    for element in list(tree.elements()):
        if not element.is_attached():
            continue
        reason = hiding(element)
        if reason is not None:
            for link in links_in(element):
                report.add(f"{HIDDEN_LINK_LABEL}{link.get('href')}", link.get("href"))
            report.add("隐藏属性 hidden" if reason == "hidden" else f"隐藏样式 {reason}")
            element.remove()
        elif element.tag == "a" and element.get("href") and invisible_link(element):
            report.add(f"{HIDDEN_LINK_LABEL}{element.get('href')}", element.get("href"))
            _drop_link(element)


def _drop_link(link):
    # A lone punctuation mark may be part of the sentence; blanks and empty elements are not.
    if visible_text(link.text()):
        link.unwrap()
    else:
        link.remove()


def _tidy(tree):
    """What no reader should be told about: Word's residue, images the site will not show."""
    _word_lists(tree)
    for element in list(tree.elements()):
        if not element.is_attached():
            continue
        if "class" in element.attrs and element.tag != "span":  # spans are judged below
            _keep_allowed_classes(element)
        if element.tag == "h1":
            element.tag = "h2"  # Word's 标题 1; the page's own title is the only <h1>
        elif element.tag == "img" and not is_site_image_url(element.get("src", "")):
            element.remove()
    # Innermost first, so that what emptying a child leaves empty goes too.
    for element in reversed(list(tree.elements())):
        if not element.is_attached():
            continue
        if element.tag not in ALLOWED_TAGS:
            element.unwrap()  # as the second pass would, but before its parent is judged
        elif element.tag == "a" and invisible_link(element):
            _drop_link(element)  # emptied by the images removed above, or a Word bookmark
        elif element.tag == "figure":
            _tidy_figure(element)
        elif element.tag == "span" and _is_residue_span(element):
            element.unwrap()
        elif element.tag == "p" and _is_blank_paragraph(element):
            element.remove()


def _keep_allowed_classes(element):
    # Here rather than by nh3 alone, which would leave an empty ``class=""`` behind.
    allowed = ALLOWED_CLASSES.get(element.tag, set())
    kept = [name for name in element.get("class").split() if name in allowed]
    if kept:
        element.attrs["class"] = " ".join(kept)
    else:
        del element.attrs["class"]


def _tidy_figure(figure):
    """A figure's caption is the best description of its image for a reader who cannot see
    it; a figure left without an image or a table goes, its text (if any) kept."""
    if next(figure.elements("img", "table"), None) is None:
        for caption in list(figure.elements("figcaption")):
            caption.remove()
        # A caption left unclosed inside a link was that link's text, judged before the figure.
        for link in list(figure.elements("a")):
            if invisible_link(link):
                _drop_link(link)
        if visible_text(figure.text()):
            figure.unwrap()
        else:
            figure.remove()
        return
    caption = next(figure.elements("figcaption"), None)
    text = " ".join(caption.text().split()) if caption is not None else ""
    for image in figure.elements("img"):
        if text and not image.get("alt", "").strip():
            image.attrs["alt"] = text


def _is_residue_span(span):
    """A span that held only formatting (Word's fonts, languages and ``mso-`` styles, which
    the site does not keep), or nothing at all."""
    if span.attrs:
        return True
    has_elements = any(isinstance(child, html_tree.Element) for child in span.children)
    return not has_elements and not visible_text(span.text())


def _is_blank_paragraph(paragraph):
    text = paragraph.text()
    return (
        "\xa0" in text
        and not visible_text(text)
        and next(paragraph.elements("img", "br"), None) is None
    )


def _word_lists(tree):
    """Word writes list items as paragraphs with a marker; make them a real list again."""
    kinds = {}
    for span in list(tree.elements("span")):
        if style_declarations(span.get("style", "")).get("mso-list") == "ignore":
            paragraph = _ancestor(span, "p")
            marker = visible_text(span.text())
            span.remove()
            if paragraph is not None:
                kinds[paragraph] = "ol" if _ORDERED_MARKER.match(marker) else "ul"
    for paragraph in tree.elements("p"):
        if "MsoListParagraph" in paragraph.get("class", ""):
            kinds.setdefault(paragraph, "ul")
    done = set()
    for paragraph in [p for p in tree.elements("p") if p in kinds]:
        if paragraph in done:
            continue
        run = _sibling_run(paragraph, kinds)
        done.update(run)
        items = html_tree.Element(kinds[paragraph])
        paragraph.replace_with(items)
        for item in run[1:]:
            item.remove()
        for item in run:
            entry = html_tree.Element("li", parent=items)
            items.children.append(entry)
            for child in item.children:
                entry.children.append(child)
                if isinstance(child, html_tree.Element):
                    child.parent = entry


def _ancestor(element, tag):
    node = element.parent
    while node is not None and node.tag != tag:
        node = node.parent
    return node


def _sibling_run(first, kinds):
    """``first`` and the list paragraphs right after it (blank text between them allowed)."""
    siblings = first.parent.children
    run = [first]
    for node in siblings[siblings.index(first) + 1 :]:
        if isinstance(node, str):
            if node.strip():
                break
        elif node in kinds and node.tag == "p":
            run.append(node)
        else:
            break
    return run


# Relative image addresses are resolved against this placeholder origin, once per scheme:
# on a page served over http, ``https:evil.example`` is an absolute address, over https a path.
_PAGE_HOST = "this-page.invalid"
_PAGE_URLS = (f"https://{_PAGE_HOST}/", f"http://{_PAGE_HOST}/")


def is_site_image_url(url):
    """True if a browser showing our page loads ``url`` from one of this site's host names
    (a relative URL, or an absolute http(s) URL on one of ``ALLOWED_HOSTS``)."""
    if not url.strip():
        return False
    return all(_site_host(url, page) for page in _PAGE_URLS)


def _site_host(url, page):
    try:
        parsed = URL(url, base=page)
    except ValueError:
        return False
    if parsed.protocol not in {"http:", "https:"}:
        return False
    return parsed.hostname == _PAGE_HOST or parsed.hostname in site_hosts()


def site_hosts():
    """``ALLOWED_HOSTS`` as the WHATWG parser writes host names (lower case, IDN as punycode)."""
    hosts = set()
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            try:
                hosts.add(URL(f"http://{host}/").hostname)
            except ValueError:
                continue
    # Uploads may be served from a host name of their own (an absolute MEDIA_URL).
    if settings.MEDIA_URL.startswith(("http://", "https://", "//")):
        hosts.add(URL(settings.MEDIA_URL, "http://localhost/").hostname)
    return hosts


def _filter_attribute(tag, attribute, value):
    if tag == "img" and attribute == "src" and not is_site_image_url(value):
        return None
    return value


class _Inspector(HTMLParser):
    """Reads the HTML as submitted: what nh3 will drop that the editor should hear about, the
    images it will drop (Word's local ``file://`` ones and those from other sites), and the tag
    names in use, so that the first pass can keep the unknown ones for the tree to look at."""

    def __init__(self, report):
        super().__init__(convert_charrefs=True)
        self.report = report
        self.tags = set()
        self.local = 0
        self.foreign = 0
        self._removed_depth = 0

    def handle_starttag(self, tag, attrs):
        if _TAG_NAME.match(tag):
            self.tags.add(tag)
        attributes = dict(attrs)
        label = _tag_label(tag, attributes)
        if label and (self._removed_depth == 0 or tag in _ALWAYS_REPORTED):
            self.report.add(label)
        if self._removed_depth or tag in REMOVED_WITH_CONTENT:
            # What the tree below will not see: it is removed with the content around it.
            for name, value in attrs:
                label = _attribute_label(name, value or "")
                if label:
                    self.report.add(label)
        if tag == "img":
            self._count_image((attributes.get("src") or "").strip())
        if tag in REMOVED_WITH_CONTENT and tag not in _VOID_TAGS:
            self._removed_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in REMOVED_WITH_CONTENT and tag not in _VOID_TAGS:
            self._removed_depth -= 1

    def handle_endtag(self, tag):
        if tag in REMOVED_WITH_CONTENT and self._removed_depth:
            self._removed_depth -= 1

    def _count_image(self, src):
        if src.lower().startswith("file:"):
            self.local += 1
        elif src and not is_site_image_url(src):
            self.foreign += 1


def _tag_label(tag, attributes):
    if tag in _TAG_LABELS:
        return f"{_TAG_LABELS[tag]} <{tag}>"
    if tag == "meta":
        refresh = (attributes.get("http-equiv") or "").strip().lower() == "refresh"
        return "自动跳转 <meta refresh>" if refresh else None
    if tag in ALLOWED_TAGS or tag in _SILENT_TAGS or ":" in tag:
        return None
    return f"未知标签 <{tag}>"


def _attribute_label(name, value):
    if name.startswith("on"):
        return f"事件属性 {name}"
    if name in _URL_ATTRIBUTES:
        # As browsers read a scheme: without blanks and control characters, in any case.
        scheme = "".join(c for c in value if c > " ").lower().partition(":")[0]
        if scheme in _DANGEROUS_SCHEMES:
            return f"危险地址 {scheme}:"
    return None
