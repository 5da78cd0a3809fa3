"""What a reader cannot see: content hidden by inline styles, and links with nothing visible.

Injected spam links (暗链) are written so that search engines follow them and readers never
notice: in a block hidden by an inline style (``display:none``, ``font-size:0``, moved far off
screen, squeezed to no height), or as a link whose only content is a one-pixel image, spaces,
zero-width characters, empty elements or one punctuation mark. The sanitiser removes both and
the publication gate and the content scan report them; the rules live here once.
"""

import re
import unicodedata

from .html_tree import NOT_TEXT_TAGS

# Characters that take no room on the page or show as blank, beyond what str.isspace() knows.
_BLANK_CHARACTERS = frozenset("\u2800\u3164\u115f\u1160\uffa0\u034f")
# An element moved at least this far out of the page is not meant to be seen.
_OFF_SCREEN_PX = 500
_LENGTH = re.compile(r"^(-?\d*\.?\d+)(px|pt|em|rem|%|)$")
_OPACITY = re.compile(r"^(\d*\.?\d+)(%?)$")
_OFFSETS = ("left", "top", "right", "bottom", "text-indent", "margin-left", "margin-top")
_HIDING_ATTRIBUTES = frozenset({"hidden", "style", "width", "height"})
# Elements whose picture a reader sees, whatever text they hold.
_PICTURE_TAGS = frozenset({"img", "svg", "video", "canvas", "picture", "iframe", "object"})
# Their width and height say how they are drawn or laid out, not that they hide anything
# (Word writes zero-width spacer cells).
_SIZED_TAGS = _PICTURE_TAGS | {
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "col", "colgroup", "hr",
}  # fmt: skip


def is_blank(character):
    return (
        character.isspace()
        or unicodedata.category(character) in ("Cf", "Cc", "Zs")
        or character in _BLANK_CHARACTERS
    )


def visible_text(text):
    return "".join(character for character in text if not is_blank(character))


def style_declarations(style):
    """``style``'s declarations as property → value, lower case, ``!important`` dropped."""
    declarations = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            value = value.lower().replace("!important", "").strip()
            declarations[name.strip().lower()] = " ".join(value.split())
    return declarations


def _length(value):
    """A CSS length in (roughly) pixels, or None if ``value`` is not one."""
    match = _LENGTH.match(value)
    if not match:
        return None
    number = float(match.group(1))
    return number * 16 if match.group(2) in ("em", "rem") else number


def hiding_style(style):
    """The declaration of inline ``style`` that hides its element (“display:none”), or None."""
    if not style:
        return None
    css = style_declarations(style)
    for name, hidden in (("display", {"none"}), ("visibility", {"hidden", "collapse"})):
        if css.get(name) in hidden:
            return f"{name}:{css[name]}"
    if css.get("mso-hide") == "all":
        return "mso-hide:all"
    size = _length(css.get("font-size", ""))
    if size is not None and size <= 1:
        return f"font-size:{css['font-size']}"
    opacity = _OPACITY.match(css.get("opacity", ""))
    if opacity and float(opacity.group(1)) / (100 if opacity.group(2) else 1) <= 0.05:
        return f"opacity:{css['opacity']}"
    for name in _OFFSETS:
        offset = _length(css.get(name, ""))
        if offset is not None and offset <= -_OFF_SCREEN_PX:
            return f"{name}:{css[name]}"
    if css.get("overflow") in ("hidden", "clip"):
        for name in ("height", "max-height", "width", "max-width"):
            size = _length(css.get(name, ""))
            if size is not None and size <= 1:
                return f"{name}:{css[name]};overflow:{css['overflow']}"
    clip = css.get("clip", "").replace(",", " ")
    if re.fullmatch(r"rect\(\s*(0(px)?\s*){4}\)", clip):
        return "clip:rect(0 0 0 0)"
    return None


def _tiny(value):
    value = (value or "").strip().lower()
    size = _length(value)
    return size is not None and size <= 1 and not value.endswith("%")


def is_tiny(element):
    """A width or height of at most one pixel, in attributes or inline style."""
    if not element.attrs.keys() & _HIDING_ATTRIBUTES:
        return False
    css = style_declarations(element.get("style", ""))
    return any(_tiny(element.get(name)) or _tiny(css.get(name)) for name in ("width", "height"))


def hiding(element):
    """Why ``element`` and everything in it is invisible (“display:none”, “hidden”), or None.
    A tiny image is no hiding place: a link holding one is judged by ``invisible_link``."""
    attrs = element.attrs
    if not attrs.keys() & _HIDING_ATTRIBUTES:
        return None
    if "hidden" in attrs:
        return "hidden"
    reason = hiding_style(element.get("style", ""))
    if reason is None and element.tag not in _SIZED_TAGS and is_tiny(element):
        name = "height" if _tiny(element.get("height")) else "width"
        reason = f"{name}={element.get(name) or 0}"
    return reason


def invisible_link(link):
    """Whether a reader sees nothing to click in ``link`` (an ``<a>`` element): no picture and
    no text but blanks, or one punctuation mark, once what is hidden inside it is left out."""
    texts = []
    if _shows_picture(link, texts):
        return False
    text = visible_text("".join(texts))
    return not text or (len(text) == 1 and unicodedata.category(text)[0] in "PS")


def _shows_picture(element, texts):
    """Whether a picture under ``element`` is seen; collects the visible text on the way."""
    for child in element.children:
        if isinstance(child, str):
            texts.append(child)
        elif child.tag in NOT_TEXT_TAGS or hiding(child) is not None:
            continue
        elif (child.tag in _PICTURE_TAGS and not is_tiny(child)) or _shows_picture(child, texts):
            return True
    return False


def hidden_links(root):
    """``(address, why)`` of every link under ``root`` that a reader cannot see, in order."""
    found = []
    _collect(root, found)
    return found


def _collect(element, found):
    for child in element.children:
        if isinstance(child, str):
            continue
        reason = hiding(child)
        if reason is not None:
            found.extend((link.get("href"), reason) for link in links_in(child))
        elif child.tag == "a" and child.get("href") and invisible_link(child):
            found.append((child.get("href"), "invisible"))
        else:
            _collect(child, found)


def links_in(element):
    """``element`` itself if it is a link with an address, and every such link inside it."""
    if element.tag == "a" and element.get("href"):
        yield element
    yield from (link for link in element.elements("a") if link.get("href"))
