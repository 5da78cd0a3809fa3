"""Which files may be attached to content, recognised by name and by content.

A browser runs what it takes for a page (HTML, SVG, scripts), so no such file is accepted,
whatever its name says. Every allowed extension names the content it must hold, read from the
file's first bytes and, for zip-based formats, from the archive's table of contents: a page
renamed ``.pdf`` or a program renamed ``.doc`` is refused. Serving (``portal.media``) uses the
same table for the type it announces.
"""

import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .images import check_picture

HEAD_BYTES = 16
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"
ALLOWED_DESCRIPTION = _(
    "PDF、Word（DOC、DOCX）、Excel（XLS、XLSX）、PowerPoint（PPT、PPTX）、"
    "WPS（WPS、ET、DPS）、OFD、ZIP 压缩包，以及 JPEG、PNG、GIF、WebP 图片"
)


def raster_image_type(head):
    """``image/jpeg``, ``image/png``, ``image/gif`` or ``image/webp`` when the first bytes of a
    file are those of such a picture, else None (SVG is text, never a raster picture)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _zip_names(file):
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _starts_with(signature):
    return lambda file, head: head.startswith(signature)


def _zip_with(has_member):
    def matches(file, head):
        if not head.startswith(ZIP_SIGNATURE):
            return False
        names = _zip_names(file)
        return names is not None and has_member(names)

    return matches


def _office_open_xml(folder):
    """Word, Excel and PowerPoint 2007+: a zip with a content-type table and its main folder."""
    return _zip_with(
        lambda names: (
            "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
        )
    )


def _picture(content_type):
    return lambda file, head: raster_image_type(head) == content_type


class AttachmentType(NamedTuple):
    content_type: str
    # (file, its first bytes) -> whether the content is what the extension says.
    matches: Callable


ATTACHMENT_TYPES = {
    "pdf": AttachmentType("application/pdf", _starts_with(b"%PDF-")),
    # Word, Excel and PowerPoint 97-2003 and WPS Office's own formats are OLE2 compound files.
    "doc": AttachmentType("application/msword", _starts_with(OLE2_SIGNATURE)),
    "xls": AttachmentType("application/vnd.ms-excel", _starts_with(OLE2_SIGNATURE)),
    "ppt": AttachmentType("application/vnd.ms-powerpoint", _starts_with(OLE2_SIGNATURE)),
    "wps": AttachmentType("application/wps-office.wps", _starts_with(OLE2_SIGNATURE)),
    "et": AttachmentType("application/wps-office.et", _starts_with(OLE2_SIGNATURE)),
    "dps": AttachmentType("application/wps-office.dps", _starts_with(OLE2_SIGNATURE)),
    "docx": AttachmentType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _office_open_xml("word/"),
    ),
    "xlsx": AttachmentType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _office_open_xml("xl/"),
    ),
    "pptx": AttachmentType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _office_open_xml("ppt/"),
    ),
    # OFD (GB/T 33190): a zip whose entry point is OFD.xml at its root.
    "ofd": AttachmentType("application/ofd", _zip_with(lambda names: "OFD.xml" in names)),
    "zip": AttachmentType("application/zip", _zip_with(lambda names: True)),
    "jpg": AttachmentType("image/jpeg", _picture("image/jpeg")),
    "jpeg": AttachmentType("image/jpeg", _picture("image/jpeg")),
    "png": AttachmentType("image/png", _picture("image/png")),
    "gif": AttachmentType("image/gif", _picture("image/gif")),
    "webp": AttachmentType("image/webp", _picture("image/webp")),
}


def extension_of(name):
    return PurePosixPath(name).suffix.lower().removeprefix(".")


def read_head(file):
    """The first bytes of ``file``, which is left at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def attachment_help_text():
    return _("可上传的文件：%(allowed)s，每个不超过 %(size)d MB。") % {
        "allowed": ALLOWED_DESCRIPTION,
        "size": settings.ATTACHMENT_MAX_MB,
    }


def max_attachment_bytes():
    return settings.ATTACHMENT_MAX_MB * 1024 * 1024


@deconstructible
class AttachmentValidator:
    """Refuse files that are not on the allow-list, whose content is not what their extension
    says, or that are larger than ``ATTACHMENT_MAX_MB``."""

    def __call__(self, file):
        # Stored files were checked when they were uploaded (older ones are served as downloads
        # anyway); reopening them from storage on every edit would cost and could fail.
        if getattr(file, "_committed", False):
            return
        extension = extension_of(file.name)
        kind = ATTACHMENT_TYPES.get(extension)
        if kind is None:
            raise ValidationError(
                _("不能上传这种文件。附件只能是%(allowed)s。"),
                params={"allowed": ALLOWED_DESCRIPTION},
                code="extension",
            )
        if file.size > max_attachment_bytes():
            raise ValidationError(
                _("附件不能超过 %(size)d MB，请压缩或拆分后再上传。"),
                params={"size": settings.ATTACHMENT_MAX_MB},
                code="too_large",
            )
        matches = kind.matches(file, read_head(file))
        file.seek(0)
        if not matches:
            raise ValidationError(
                _(
                    "文件内容与扩展名 .%(extension)s 不符，可能是改过扩展名的其他文件。"
                    "请上传原始的文件。"
                ),
                params={"extension": extension},
                code="content",
            )
        if kind.content_type.startswith("image/"):
            check_picture(file)

    def __eq__(self, other):
        return isinstance(other, AttachmentValidator)


validate_attachment = AttachmentValidator()
