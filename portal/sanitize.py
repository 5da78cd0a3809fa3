"""The one place rich text is cleaned, for every rich-text field of every app.

Editors paste from Word and from other websites; whatever arrives, the stored HTML only keeps
an allow-list of tags and attributes (``nh3``, the Rust ``ammonia`` sanitiser):

* no scripts, styles, event handlers, iframes, embeds or forms: they are removed with their
  content; ``style`` attributes are dropped too, so text cannot be hidden (a classic trick for
  injected spam links, 暗链);
* links only to ``http``, ``https`` and ``mailto`` addresses (or relative ones), always with
  ``rel="noopener noreferrer"``; ammonia reads the scheme as browsers do (case, tabs and
  newlines ignored), so ``java<TAB>script:`` is refused like ``javascript:``;
* images only from this site (relative URLs, or absolute URLs on one of ``ALLOWED_HOSTS``),
  judged on the address a browser would fetch: ``ada-url`` parses it by the same WHATWG rules,
  so a backslash for a slash or a ``\\@`` in the host cannot smuggle in another host; images
  pasted from Word arrive as ``file://`` paths no browser can load and are removed, and the
  caller learns how many so it can ask the editor to upload them;
* CKEditor 5's figures with captions, tables and the alignment/image-style classes it writes.

Use :func:`clean_html` in a model's ``save()`` and :func:`sanitize` where the count of removed
local images matters (the admin form, to warn the editor).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from ada_url import URL
from django.conf import settings

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

_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_EMPTY_FIGURE = re.compile(
    r"<figure[^>]*>\s*(?:<figcaption>.*?</figcaption>)?\s*</figure>", re.DOTALL
)


@dataclass(frozen=True)
class CleanResult:
    html: str
    removed_local_images: int = 0
    removed_foreign_images: int = 0


def clean_html(html):
    """Sanitised HTML; safe to call on already clean HTML (the result does not change)."""
    return sanitize(html).html


def sanitize(html):
    """Sanitise ``html`` and report what was removed that the editor should know about."""
    if not html:
        return CleanResult("")
    counter = _ImageCounter()
    counter.feed(html)
    counter.close()
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An image whose source was refused is useless, and so is a figure left without one.
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    cleaned = _EMPTY_FIGURE.sub("", cleaned).strip()
    return CleanResult(cleaned, counter.local, counter.foreign)


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
    return parsed.hostname == _PAGE_HOST or parsed.hostname in _site_hosts()


def _site_hosts():
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


class _ImageCounter(HTMLParser):
    """Counts images nh3 will drop: Word's local ``file://`` ones and those from other sites."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.local = 0
        self.foreign = 0

    def handle_starttag(self, tag, attrs):
        if tag != "img":
            return
        src = (dict(attrs).get("src") or "").strip()
        if src.lower().startswith("file:"):
            self.local += 1
        elif src and not is_site_image_url(src):
            self.foreign += 1

    handle_startendtag = handle_starttag
