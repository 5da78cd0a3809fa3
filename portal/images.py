"""Image handling for every app, behind a few functions.

Today: uploads are checked (a real picture, a sane size), rich-text editor uploads go to date
folders under random names through the storage API, and templates ask :func:`rendition_url` for
the address of a picture. The coming image pipeline (EXIF/GPS stripped, long edge capped,
renditions with ``srcset``) changes these functions, not the callers.
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .uploads import DatedRandomPath

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}

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

    def __eq__(self, other):
        return isinstance(other, ImageUploadValidator)


validate_image = ImageUploadValidator()


class EditorImageStorage:
    """``CKEDITOR_5_FILE_STORAGE``: the editor's body images, through the default storage.

    django-ckeditor-5 calls ``save(name, file)`` and ``url(name)``; the name it passes is the
    uploader's own file name, which we replace by ``editor/<yyyy>/<mm>/<random>.<ext>``.
    """

    def save(self, name, content, max_length=None):
        # The upload view has already checked type and size (CKEDITOR_5_UPLOAD_FILE_TYPES,
        # CKEDITOR_5_MAX_FILE_SIZE and a Pillow verify); an exception here would be a 500.
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
