"""从 Word 导入: a .docx written in Word or WPS becomes a new draft article.

mammoth reads the document; before it writes HTML, the document is reshaped here the way the
district's manuscripts are laid out:

* the title is the first paragraph in the Title style, Heading 1 (标题 1), or, as WPS users
  often make it, a short first paragraph that is entirely bold; else the file name. A Subtitle
  (副标题) paragraph right after it is the subtitle. Neither is repeated in the body;
* meta lines near the top (``发布时间：2026年11月20日  作者：张明 李华  来源：青湾区实验小学``,
  ``文/张明``, ``通讯员 李华``) fill the publish time, the byline and the source and leave the body;
* headings keep their order but move down so that the body's highest one is ``h2``: the page's
  ``h1`` is the article's title;
* every embedded picture is checked and stored the way the editor's uploads are
  (``portal.images``); one that is refused is left out and reported, never stored. A paragraph
  holding only pictures becomes CKEditor 5's ``<figure class="image">``, and a paragraph
  starting with ▲, △ or 图： right after it becomes its ``<figcaption>`` (the marker is dropped:
  the caption sits under the picture already, as in figures made in the editor);
* tables become CKEditor's ``<figure class="table">``.

The HTML then goes through ``portal.sanitize`` like anything typed in the editor.
"""

import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import NamedTuple
from xml.parsers.expat import ExpatError

import mammoth
import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from mammoth import documents
from mammoth.transforms import element_of_type, get_descendants_of_type

from brands.models import School, works_on_every_school
from portal import audit
from portal.attachments import (
    ATTACHMENT_TYPES,
    OLE2_SIGNATURE,
    ZIP_SIGNATURE,
    extension_of,
    raster_image_type,
    read_head,
)
from portal.images import EditorImageStorage, prepared_image
from portal.sanitize import sanitize

from .models import Article, ArticleStatus

logger = logging.getLogger(__name__)

AUDIT_ACTION = "word_import"
# A .docx is a zip: refused when it unpacks to more than this (a zip bomb, or a document no
# editor wrote by hand).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# How many non-empty paragraphs from the top may hold the title, the subtitle and meta lines.
HEAD_PARAGRAPHS = 6
# A bold first paragraph longer than this is a lead sentence, not a title.
BOLD_TITLE_MAX_CHARS = 60
META_LINE_MAX_CHARS = 150
# A name in a byline; anything longer is a sentence that happens to start with 记者 or 作者.
AUTHOR_MAX_CHARS = 12
# A manuscript gives the day only: it goes out in the morning of that day.
DEFAULT_PUBLISH_TIME = time(9, 0)

# Paragraph styles given by the reshaping below, turned into HTML by STYLE_MAP.
_FIGURE = "word-import figure"
_CAPTION = "word-import caption"
_HEADING = "word-import h{}"
STYLE_MAP = f"""
p[style-name='{_HEADING.format(2)}'] => h2:fresh
p[style-name='{_HEADING.format(3)}'] => h3:fresh
p[style-name='{_HEADING.format(4)}'] => h4:fresh
p[style-name='{_FIGURE}'] => figure.image:fresh
p[style-name='{_CAPTION}'] => figure.image > figcaption:fresh
table => figure.table > table:fresh
"""

_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-9])")
_TITLE_STYLES = {"title", "标题"}
_SUBTITLE_STYLES = {"subtitle", "副标题"}
_CAPTION_MARK = re.compile(r"\s*(?:[▲△]|图\s*[:：])\s*")
# Word fills in a picture's description with its file name or "图片 3"; that describes nothing.
_NO_DESCRIPTION = re.compile(r".*[\\/].*|.*\.\w{2,4}|(?:图片|图像|picture|image)\s*\d*", re.I)


# --- Meta lines --------------------------------------------------------------------------------

_META_LABELS = {
    "发布时间": "published",
    "发布日期": "published",
    "发表时间": "published",
    "时间": "published",
    "日期": "published",
    "作者": "authors",
    "撰稿": "authors",
    "撰文": "authors",
    "记者": "authors",
    "通讯员": "authors",
    "摄影": "authors",
    "文": "authors",
    "图": "authors",
    "来源": "source",
    "稿件来源": "source",
    "信息来源": "source",
    "供稿": "source",
    "供稿单位": "source",
}
# 文/张明 and 图/李华 take a slash only (图： starts a caption); 记者 and 通讯员 also a space.
_SLASH_LABELS = {"文", "图"}
_SPACE_LABELS = {"记者", "通讯员"}
_META_LABEL = re.compile(
    r"(?:^|(?<=[\s|｜丨]))("
    + "|".join(sorted(_META_LABELS, key=len, reverse=True))
    + r")(\s*[:：]\s*|\s*[/／]\s*|\s+)"
)
_AUTHOR_SEPARATORS = re.compile(r"[\s、，,;；/／]+")
_VALUE_TRIM = " \t\u3000|｜丨,，;；"
_DATE = re.compile(
    r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})\s*[:：时]\s*(\d{1,2}))?"
)


class MetaLine(NamedTuple):
    authors: tuple[str, ...] = ()
    source: str = ""
    published: str = ""


def _separator_fits(label, separator):
    separator = separator.strip()
    if label in _SLASH_LABELS:
        return separator in {"/", "／"}
    if separator in {":", "："}:
        return True
    return label in _SPACE_LABELS


def read_meta_line(text):
    """The byline, source and date of a meta line such as ``来源：青湾区实验小学 作者：张明 李华``,
    or None when ``text`` is not one (every part of it must be a label and its value)."""
    text = text.strip()
    if not text or len(text) > META_LINE_MAX_CHARS:
        return None
    labels = [m for m in _META_LABEL.finditer(text) if _separator_fits(m[1], m[2])]
    if not labels or labels[0].start() != 0:
        return None
    authors, source, published = [], "", ""
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        end = following.start() if following else len(text)
        value = text[label.end() : end].strip(_VALUE_TRIM)
        match _META_LABELS[label[1]]:
            case "authors":
                names = [name for name in _AUTHOR_SEPARATORS.split(value) if name]
                if any(len(name) > AUTHOR_MAX_CHARS or "。" in name for name in names):
                    return None
                authors += [name for name in names if name not in authors]
            case "source":
                source = source or value
            case "published":
                published = published or value
    return MetaLine(tuple(authors), source, published)


def read_publish_time(text):
    """The aware datetime of ``2026年11月20日``, ``2026-11-20 10:30`` and the like (a day alone
    is DEFAULT_PUBLISH_TIME of that day, local time), or None."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute = (int(part) if part else None for part in match.groups())
    try:
        on = date(year, month, day)
        at = DEFAULT_PUBLISH_TIME if hour is None else time(hour, minute)
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(on, at))


# --- The file ----------------------------------------------------------------------------------


def check_docx(upload):
    """Refuse, with the reason in Chinese, a file that is not a .docx this import can read."""
    if upload.size > settings.WORD_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("文件太大：最多 %(size)s。请压缩文档中的图片（Word：文件 › 压缩图片）后再导入。"),
            params={"size": filesizeformat(settings.WORD_IMPORT_MAX_BYTES)},
            code="too_large",
        )
    extension = extension_of(upload.name)
    head = read_head(upload)
    if extension in {"doc", "wps"} or (extension != "docx" and head.startswith(OLE2_SIGNATURE)):
        raise ValidationError(
            _("这是旧版 Word（.doc）或 WPS（.wps）文件，不能直接导入。请在 Word 或 WPS 中"
              "“另存为”Word 文档（.docx）后再导入。"),
            code="old_format",
        )  # fmt: skip
    if extension != "docx":
        raise ValidationError(_("只能导入 Word 文档（.docx 文件）。"), code="extension")
    if head.startswith(OLE2_SIGNATURE):
        raise ValidationError(
            _("文档设置了打开密码（已加密），或是改了扩展名的旧版 .doc 文件，无法读取。请在 "
              "Word 或 WPS 中取消密码，并“另存为”Word 文档（.docx）后再导入。"),
            code="encrypted",
        )  # fmt: skip
    if not head.startswith(ZIP_SIGNATURE):
        raise ValidationError(
            _("文件内容不是 Word 文档，可能是改了扩展名的 PDF、文本或其他文件。"
              "请在 Word 或 WPS 中打开原稿，另存为 .docx 后再导入。"),
            code="content",
        )  # fmt: skip
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise _damaged() from error
    finally:
        upload.seek(0)
    names = {member.filename for member in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise ValidationError(
            _("这个压缩文件不是 Word 文档。请选择 Word 或 WPS 保存的 .docx 文件。"),
            code="not_word",
        )
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("文档解压后超过 %(size)s，无法导入。请拆分文档或压缩其中的图片。"),
            params={"size": filesizeformat(MAX_UNPACKED_BYTES)},
            code="too_large_unpacked",
        )


def _damaged():
    return ValidationError(
        _("文件已损坏，无法读取。请在 Word 或 WPS 中打开并重新保存为 .docx 后再导入。"),
        code="damaged",
    )


# --- The conversion ----------------------------------------------------------------------------


@dataclass
class Draft:
    """What a document gave: the article's fields and what the editor should be told."""

    title: str = ""
    subtitle: str = ""
    body: str = ""
    authors: str = ""
    source: str = ""
    publish_at: datetime | None = None
    paragraphs: int = 0
    # Storage names of the pictures kept.
    images: list[str] = field(default_factory=list)
    # Chinese sentences for the editor: what was left out or guessed.
    warnings: list[str] = field(default_factory=list)


def _text(element):
    return mammoth.extract_raw_text_from_element(element).strip()


def _style_names(paragraph):
    return [name.strip().lower() for name in (paragraph.style_name, paragraph.style_id) if name]


def _has_style(paragraph, names):
    return any(name in names for name in _style_names(paragraph))


def _heading_level(paragraph):
    """1-9 for Heading 1-9 (标题 1-9), 0 for the Title style, else None."""
    if _has_style(paragraph, _TITLE_STYLES):
        return 0
    for name in _style_names(paragraph):
        match = _HEADING_STYLE.fullmatch(name)
        if match:
            return int(match[1])
    return None


def _images(element):
    return get_descendants_of_type(element, documents.Image)


def _entirely_bold(paragraph):
    runs = get_descendants_of_type(paragraph, documents.Run)
    return all(run.is_bold for run in runs if _text(run))


def _without_leading(element, count):
    """``element`` with the first ``count`` characters of its text removed, and how many of
    them were not found in it."""
    if count == 0:
        return element, 0
    if isinstance(element, documents.Text):
        cut = min(count, len(element.value))
        return element.copy(value=element.value[cut:]), count - cut
    if isinstance(element, documents.Tab):
        return documents.run([]), count - 1
    if isinstance(element, documents.HasChildren):
        children = []
        for child in element.children:
            child, count = _without_leading(child, count)
            children.append(child)
        return element.copy(children=children), count
    return element, count


def _marked(paragraph, style_name, children=None):
    # Without the style id too, so that nothing maps it as the heading it may also be.
    return paragraph.copy(
        style_id=None,
        style_name=style_name,
        numbering=None,
        children=paragraph.children if children is None else children,
    )


class _Conversion:
    """One document's conversion; keeps the names of the pictures it stored, so that a failed
    import can remove them again (``discard_images``)."""

    def __init__(self, file_name):
        self.file_name = file_name
        self.storage = EditorImageStorage()
        self.draft = Draft()
        self.meta = []
        self.refused = []
        self.picture_count = 0
        # id() of each stored mammoth Image -> (the image, its address, its alt text).
        self.stored = {}

    def run(self, upload):
        upload.seek(0)
        try:
            result = mammoth.convert_to_html(
                upload,
                style_map=STYLE_MAP,
                transform_document=self.reshape,
                convert_image=mammoth.images.img_element(self.image_attributes),
                include_embedded_style_map=False,
                external_file_access=False,
            )
        except (zipfile.BadZipFile, ExpatError, LookupError, ValueError, EOFError, zlib.error):
            logger.warning("Word import of %r failed", self.file_name, exc_info=True)
            raise _damaged() from None
        for message in result.messages:
            logger.debug("Word import of %r: %s", self.file_name, message.message)
        return self.finish(result.value)

    def discard_images(self):
        for name in self.draft.images:
            self.storage.delete(name)

    # --- the document tree, before mammoth writes HTML ----------------------------------------

    def reshape(self, document):
        blocks = self.take_head(list(document.children))
        store = element_of_type(documents.Image, self.store_image)
        blocks = self.figures([store(block) for block in blocks])
        self.draft.paragraphs = sum(
            1
            for block in blocks
            if isinstance(block, documents.Paragraph)
            and block.style_name not in {_FIGURE, _CAPTION}
            and _text(block)
        )
        levels = {
            level
            for block in blocks
            if isinstance(block, documents.Paragraph)
            and (level := _heading_level(block)) is not None
        }
        top = min(levels, default=1)

        def heading(paragraph):
            level = _heading_level(paragraph)
            if level is None:
                return paragraph
            return _marked(paragraph, _HEADING.format(min(2 + max(level - top, 0), 4)))

        return mammoth.transforms.paragraph(heading)(document.copy(children=blocks))

    def take_head(self, blocks):
        """Title, subtitle and meta lines from the top of ``blocks``; the rest is the body."""
        looked = 0
        for index, block in enumerate(blocks):
            if looked == HEAD_PARAGRAPHS:
                return blocks[index:]
            if not isinstance(block, documents.Paragraph) or _images(block):
                return blocks[index:]
            text = _text(block)
            if not text:
                continue
            looked += 1
            if not self.draft.title and _heading_level(block) in {0, 1}:
                self.draft.title = text
            elif (meta := read_meta_line(text)) is not None:
                self.meta.append(meta)
            elif (
                not self.draft.title
                and looked == 1
                and len(text) <= BOLD_TITLE_MAX_CHARS
                and _entirely_bold(block)
            ):
                self.draft.title = text
            elif (
                self.draft.title and not self.draft.subtitle and _has_style(block, _SUBTITLE_STYLES)
            ):
                self.draft.subtitle = text
            else:
                return blocks[index:]
        return []

    def store_image(self, image):
        """``image`` once stored, or an empty run in its place when it is refused."""
        self.picture_count += 1
        try:
            with image.open() as stream:
                data = stream.read()
        except (KeyError, OSError, ValueError):
            # mammoth's InvalidFileReferenceError (a picture linked to a file on the writer's
            # computer) is a ValueError; a missing part of the zip a KeyError.
            return self.refuse(_("图片不在文档里（可能是链接到作者电脑上的图片）"))
        kind = raster_image_type(data[:16])
        extension = next(
            (f".{ext}" for ext, t in ATTACHMENT_TYPES.items() if kind and t.content_type == kind),
            "",
        )
        try:
            prepared = prepared_image(ContentFile(data, name=f"word{extension}"))
        except ValidationError as error:
            return self.refuse(error.messages[0])
        name = self.storage.save(prepared.name, prepared)
        self.draft.images.append(name)
        self.stored[id(image)] = (image, self.storage.url(name), self._description(image))
        return image

    def refuse(self, reason):
        self.refused.append(
            _("第 %(number)d 张（%(reason)s）")
            % {"number": self.picture_count, "reason": reason.rstrip("。")}
        )
        return documents.run([])

    @staticmethod
    def _description(image):
        alt = (image.alt_text or "").strip()
        return "" if _NO_DESCRIPTION.fullmatch(alt) else alt

    def figures(self, blocks):
        """Picture-only paragraphs become figures (one a picture), a ▲ line after one its
        caption."""
        shaped = []
        for block in blocks:
            if not isinstance(block, documents.Paragraph):
                shaped.append(block)
                continue
            pictures = [image for image in _images(block) if id(image) in self.stored]
            after_figure = bool(shaped) and getattr(shaped[-1], "style_name", None) == _FIGURE
            mark = _CAPTION_MARK.match(_text(block)) if after_figure else None
            if pictures and not _text(block):
                shaped += [_marked(block, _FIGURE, [picture]) for picture in pictures]
            elif mark:
                caption, _left = _without_leading(block, mark.end() + self._leading_spaces(block))
                if _text(caption):
                    shaped.append(_marked(caption, _CAPTION))
                    self._describe_by_caption(shaped[-2], _text(caption))
            else:
                shaped.append(block)
        return shaped

    @staticmethod
    def _leading_spaces(paragraph):
        text = mammoth.extract_raw_text_from_element(paragraph)
        return len(text) - len(text.lstrip())

    def _describe_by_caption(self, figure, caption):
        (picture,) = _images(figure)
        image, url, alt = self.stored[id(picture)]
        self.stored[id(picture)] = (image, url, alt or caption)

    def image_attributes(self, image):
        # Pictures elsewhere (in footnotes) were never stored: without src the sanitiser
        # drops them.
        if id(image) not in self.stored:
            return {}
        _image, url, alt = self.stored[id(image)]
        return {"src": url, "alt": alt}

    # --- after mammoth ----------------------------------------------------------------------

    def finish(self, html):
        draft = self.draft
        cleaned = sanitize(html)
        draft.body = cleaned.html
        if not strip_tags(draft.body).strip() and "<img" not in draft.body:
            raise ValidationError(
                _("文档中没有可导入的正文（除标题和发布信息外没有文字或图片），没有导入。"
                  "请检查是否选错了文件。"),
                code="empty",
            )  # fmt: skip
        title_length = Article._meta.get_field("title").max_length
        if not draft.title:
            draft.title = PurePath(self.file_name).stem.strip() or _("未命名稿件")
            draft.warnings.append(_("文档开头没有找到标题，已用文件名作标题，请修改。"))
        if len(draft.title) > title_length:
            draft.title = draft.title[:title_length]
            draft.warnings.append(
                _("标题超过 %(count)d 字，已截断，请修改。") % {"count": title_length}
            )
        draft.subtitle = draft.subtitle[: Article._meta.get_field("subtitle").max_length]
        self._apply_meta()
        if self.refused:
            draft.warnings.append(
                _("有 %(count)d 张图片未能导入：%(list)s。请另行上传。")
                % {"count": len(self.refused), "list": "；".join(self.refused)}
            )
        removed_links = _links(html) - _links(draft.body)
        if removed_links:
            draft.warnings.append(
                _("有 %(count)d 个链接的地址不安全或无法打开（如 file:// 本机文件），"
                  "已去掉链接，文字保留。") % {"count": removed_links}
            )  # fmt: skip
        removed_images = cleaned.removed_local_images + cleaned.removed_foreign_images
        if removed_images:
            draft.warnings.append(
                _("有 %(count)d 张引用本站以外的图片，已移除。") % {"count": removed_images}
            )
        return draft

    def _apply_meta(self):
        draft = self.draft
        authors = []
        for meta in self.meta:
            authors += [name for name in meta.authors if name not in authors]
            draft.source = draft.source or meta.source
        draft.authors = " ".join(authors)[: Article._meta.get_field("authors").max_length]
        draft.source = draft.source[: Article._meta.get_field("source").max_length]
        published = next((meta.published for meta in self.meta if meta.published), "")
        if published:
            draft.publish_at = read_publish_time(published)
            if draft.publish_at is None:
                draft.warnings.append(
                    _("发布时间“%(text)s”无法识别，请在“发布”中手动填写。") % {"text": published}
                )


_LINK = re.compile(r"<a\s[^>]*\bhref=", re.IGNORECASE)


def _links(html):
    return len(_LINK.findall(html))


# --- The draft ---------------------------------------------------------------------------------


def import_draft(upload, *, channel, user, request=None):
    """Create a draft article in ``channel`` from the .docx ``upload``, written by ``user``.

    Returns (article, Draft). Raises ValidationError (Chinese) when the file cannot be imported;
    then nothing is left behind, neither the article nor a stored picture.
    """
    check_docx(upload)
    conversion = _Conversion(upload.name)
    try:
        with transaction.atomic():
            draft = conversion.run(upload)
            article = _create(draft, channel, user, upload.name, request)
    except BaseException:
        conversion.discard_images()
        raise
    return article, draft


def _create(draft, channel, user, file_name, request):
    article = Article(
        title=draft.title,
        subtitle=draft.subtitle,
        body=draft.body,
        authors=draft.authors,
        source=draft.source,
        channel=channel,
        status=ArticleStatus.DRAFT,
        created_by=user,
    )
    if draft.publish_at is not None:
        article.publish_at = draft.publish_at
    comment = _("从《%(file)s》导入：%(paragraphs)d 段、%(images)d 张图片") % {
        "file": file_name,
        "paragraphs": draft.paragraphs,
        "images": len(draft.images),
    }
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(comment)
        article.save()
        if not works_on_every_school(user):
            # A correspondent sees the articles of their schools.
            article.schools.set(School.objects.for_user(user))
    audit.record(AUDIT_ACTION, actor=user, obj=article, request=request, comment=comment)
    return article


def success_message(file_name, draft):
    return _(
        "已从《%(file)s》导入草稿，共 %(paragraphs)d 段、%(images)d 张图片；请检查后保存或送审。"
    ) % {"file": file_name, "paragraphs": draft.paragraphs, "images": len(draft.images)}


def meta_message(draft):
    """What the meta lines filled in (those fields sit in a collapsed part of the form), or ""."""
    parts = []
    if draft.authors:
        parts.append(_("作者“%(value)s”") % {"value": draft.authors})
    if draft.source:
        parts.append(_("来源“%(value)s”") % {"value": draft.source})
    if draft.publish_at:
        when = timezone.localtime(draft.publish_at).strftime("%Y-%m-%d %H:%M")
        parts.append(_("发布时间 %(value)s") % {"value": when})
    if not parts:
        return ""
    return _("已从稿件的发布信息中填入%(parts)s，请核对。") % {"parts": "、".join(parts)}
