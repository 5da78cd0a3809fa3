"""Serving uploaded files so that none of them can act as a page of this site.

An upload is data the site keeps, never one of its documents: every response forbids type
sniffing and carries a sandbox Content-Security-Policy (no scripts, no origin, so no access to
the admin or its cookies even if a browser did render it), and is a download, except raster
pictures (recognised by content, never SVG) that pages show inline. Files are read through the
default storage, wherever it keeps them. In production the front server serves ``MEDIA_URL``
from a host name of its own with the same headers (README); this view serves it wherever
``SERVE_MEDIA`` is on.
"""

from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404

from .attachments import ATTACHMENT_TYPES, extension_of, raster_image_type, read_head
from .http_methods import safe_methods_only

MEDIA_CSP = "default-src 'none'; sandbox"
# Longer names cannot have been made by DatedRandomPath, and storages refuse them anyway.
MAX_NAME_LENGTH = 1024
MAX_PART_BYTES = 255


def _storage_name(path):
    """The storage name a path under ``MEDIA_URL`` asks for, or None when it cannot name an
    upload (empty, ``.``/``..`` or over-long parts, NUL, backslashes)."""
    if len(path) > MAX_NAME_LENGTH or "\x00" in path or "\\" in path:
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") or len(part.encode()) > MAX_PART_BYTES for part in parts):
        return None
    return path


def _announced_type(name, head):
    """The allow-list's type for the file's extension, a picture's only when the content is that
    picture; anything else is announced as bytes, never as what its name says."""
    kind = ATTACHMENT_TYPES.get(extension_of(name))
    if kind is None:
        return "application/octet-stream"
    if kind.content_type.startswith("image/") and raster_image_type(head) != kind.content_type:
        return "application/octet-stream"
    return kind.content_type


def file_response(name, download_name=None):
    """The stored file ``name`` as a protected response: inline when it is a raster picture
    (and no ``download_name`` is given), else a download named ``download_name`` or its own
    name. Http404 when the storage has no such file."""
    try:
        file = default_storage.open(name)
    except (OSError, SuspiciousFileOperation) as error:
        raise Http404("no such upload") from error
    try:
        head = read_head(file)
    except OSError as error:
        file.close()
        raise Http404("unreadable upload") from error
    content_type = _announced_type(name, head)
    response = FileResponse(
        file,
        as_attachment=download_name is not None or not content_type.startswith("image/"),
        filename=download_name or PurePosixPath(name).name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@safe_methods_only
def serve(request, path):
    """``MEDIA_URL<path>``: an uploaded file, GET or HEAD only."""
    name = _storage_name(path)
    if name is None:
        raise Http404("not an upload name")
    return file_response(name)
