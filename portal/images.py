"""Image handling for every app, behind a few functions.

Today: uploads are checked (a real picture, a sane size), rich-text editor uploads go to date
folders under random names through the storage API, and templates ask :func:`rendition_url` for
the address of a picture. The coming image pipeline (EXIF/GPS stripped, long edge capped,
renditions with ``srcset``) changes these functions, not the callers.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from .uploads import DatedRandomPath

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# A photo over MAX_IMAGE_BYTES sent through the editor is re-encoded to this instead of refused.
DOWNSCALED_LONG_EDGE = 2560
DOWNSCALED_JPEG_QUALITY = 85

editor_upload_path = DatedRandomPath("editor")


@deconstructible
class ImageUploadValidator:
    """Refuse files that are not JPEG/PNG/GIF/WebP pictures or are unreasonably large."""

    def __call__(self, file):
        if file.size > MAX_IMAGE_BYTES:
            raise ValidationError(
                _("图片不能超过 %(size)d MB，请压缩后再上传。"),
                params={"size": MAX_IMAGE_BYTES // (1024 * 1024)},
                code="too_large",
            )
        check_picture(file)

    def __eq__(self, other):
        return isinstance(other, ImageUploadValidator)


def check_picture(file):
    """Refuse ``file`` unless its content is a JPEG/PNG/GIF/WebP picture of a sane pixel count."""
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with Image.open(file) as picture:
            image_format = picture.format
            width, height = picture.size
            picture.verify()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("无法识别的图片文件。"), code="invalid") from error
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("只支持 JPEG、PNG、GIF、WebP 格式的图片。"), code="format")
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("图片像素过大，请缩小后再上传。"), code="pixels")


def editor_image(file):
    """The editor's upload, checked; a real photo over the byte cap comes back downscaled
    (EXIF orientation applied, long edge capped, JPEG) rather than refused."""
    check_picture(file)
    if file.size <= MAX_IMAGE_BYTES:
        return file
    with Image.open(file) as picture:
        picture = ImageOps.exif_transpose(picture).convert("RGB")
        picture.thumbnail((DOWNSCALED_LONG_EDGE, DOWNSCALED_LONG_EDGE))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=DOWNSCALED_JPEG_QUALITY, optimize=True)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


validate_image = ImageUploadValidator()


class EditorImageStorage:
    """``CKEDITOR_5_FILE_STORAGE``: the editor's body images, through the default storage.

    django-ckeditor-5 calls ``save(name, file)`` and ``url(name)``; the name it passes is the
    uploader's own file name, which we replace by ``editor/<yyyy>/<mm>/<random>.<ext>``.
    """

    def save(self, name, content, max_length=None):
        # portal.editor_upload has already checked the picture (editor_image); an exception
        # here would be a 500.
        return default_storage.save(editor_upload_path.path_for(name), content, max_length)

    def url(self, name):
        return default_storage.url(name)

    def delete(self, name):
        default_storage.delete(name)

    def exists(self, name):
        return default_storage.exists(name)


def rendition_url(image, purpose="original"):
    """The URL of ``image`` (an ImageField value) prepared for ``purpose`` ("card", "cover"…).

    One function for every template, so renditions can arrive without touching them.
    An empty image gives an empty string.
    """
    if not image:
        return ""
    return image.url
