"""Image handling for every app: one pipeline for every upload, renditions for every page.

Every picture that reaches the storage passes :func:`prepared_image`: only real JPEG, PNG, WebP
and GIF files (recognised by Pillow from their content, never by name or announced type), within
a byte cap and a pixel cap checked from the header before anything is decoded; the EXIF
orientation is applied, every piece of metadata dropped (EXIF with GPS and camera, XMP, IPTC,
comments, ICC: colours are converted to sRGB, the web's default, so no profile is needed), the
long edge capped, and the picture re-encoded in its own format under a random name with the
extension of that format. :class:`PictureField` does this for every model's picture, whatever
path the file takes (admin forms, held uploads, imports, demo data, code); the editor's upload
endpoint and the Word import call :func:`prepared_image` themselves.

Renditions are made by easy-thumbnails when a picture is saved (and by ``clean_images`` for
older ones): a few widths per purpose, each as WebP and JPEG (PNG for logos, which are often
transparent). Their names follow from the picture's name, the purpose and the picture's focal
point alone, so a page computes their addresses without a database or storage lookup
(``{% picture %}`` in ``portal.templatetags.pictures``).

A picture field may name the model's focal-point fields (``PictureField(focus=…)``, an article's
cover): cropped renditions are then cut around that point instead of the centre, so a portrait
photo in a 16:9 box keeps the faces. The point is part of the renditions' names; saving a row
with the field makes the renditions of a new point (:func:`make_missing_renditions`).
"""

import functools
import io
import logging
import uuid
import warnings
from pathlib import PurePosixPath
from typing import NamedTuple

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, ImageSequence

from .uploads import DatedRandomPath

# Pillow's format name → the extension a prepared picture is stored under.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FORMATS_BY_EXTENSION = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
# Formats of pictures stored before this pipeline under a .png or .jpg name, re-encoded in place.
STORED_EARLIER = {"BMP", "TIFF"}
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
QUALITY = 85
# An animation keeps its frames while decoding them all stays within the pixel cap and this
# many frames; a longer one keeps its first frame only.
MAX_FRAMES = 300
# What Pillow reports of a picture it wrote itself: encoding facts, no metadata.
ENCODER_INFO = {
    "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
    "transparency", "duration", "loop", "background", "version", "extension", "disposal",
}  # fmt: skip
SRGB = ImageCms.createProfile("sRGB")
EDITOR_DIR = "editor"

editor_upload_path = DatedRandomPath(EDITOR_DIR)
logger = logging.getLogger(__name__)


def prepared_image(file, image_format=None):
    """``file`` as a clean picture: a ``ContentFile`` named ``<random>.<real extension>``.

    Raises ``ValidationError`` (Chinese message) when ``file`` is not a JPEG/PNG/WebP/GIF
    picture or is over the byte or pixel cap. ``image_format`` ("JPEG"…) re-encodes in that
    format instead of the file's own, and then also reads the BMP and TIFF files stored before
    (``clean_images`` keeps a stored name's extension true).
    """
    picture = _opened_picture(
        file, EXTENSIONS.keys() | STORED_EARLIER if image_format else EXTENSIONS
    )
    with picture:
        image_format = image_format or picture.format
        try:
            data = _encoded(picture, image_format)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            raise ValidationError(_("文件不是有效的图片，可能已损坏。"), code="invalid") from error
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}")


def _opened_picture(file, formats=EXTENSIONS):
    """The picture in ``file``, opened (header read, nothing decoded), in one of ``formats``
    and within the caps."""
    max_bytes = settings.IMAGE_MAX_BYTES
    file.seek(0)
    data = io.BytesIO(file.read(max_bytes + 1))
    file.seek(0)
    if len(data.getbuffer()) > max_bytes:
        raise ValidationError(
            _("文件超过 %(size)s MB，请压缩后再上传。"),
            params={"size": f"{max_bytes / 1024 / 1024:g}"},
            code="too_large",
        )
    too_big = ValidationError(
        _("图片像素过大（超过 %(megapixels)s 百万像素），请缩小后再上传。"),
        params={"megapixels": f"{settings.IMAGE_MAX_PIXELS / 1_000_000:g}"},
        code="pixels",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_big from error
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            _("文件不是有效的图片。只支持 JPEG、PNG、WebP、GIF 格式。"), code="invalid"
        ) from error
    if picture.format not in formats:
        picture.close()
        raise ValidationError(
            _("只支持 JPEG、PNG、WebP、GIF 格式的图片，这个文件是 %(format)s 格式。"),
            params={"format": picture.format},
            code="format",
        )
    width, height = picture.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        picture.close()
        raise too_big
    return picture


def check_picture(file):
    """Refuse ``file`` unless :func:`prepared_image` would accept it (checks only, for files
    kept as they are: attachments are documents to download, not pictures a page shows)."""
    with _opened_picture(file) as picture:
        try:
            picture.verify()
        except (OSError, ValueError, SyntaxError) as error:
            raise ValidationError(_("文件不是有效的图片，可能已损坏。"), code="invalid") from error


def _encoded(picture, image_format):
    edge = settings.IMAGE_MAX_EDGE
    buffer = io.BytesIO()
    frames = _animation(picture) if image_format in ("GIF", "WEBP") else None
    if frames:
        images = [_upright(frame.convert("RGBA"), edge) for frame in frames]
        options = {
            "save_all": True,
            "append_images": images[1:],
            "duration": [frame.info.get("duration", 100) for frame in frames],
            "loop": picture.info.get("loop", 0),
        }
        if image_format == "GIF":
            options |= {"disposal": 2, "optimize": True}
        else:
            options |= {"quality": QUALITY}
        images[0].save(buffer, image_format, **options)
        return buffer.getvalue()
    picture.seek(0)
    if image_format == "JPEG":
        picture.draft("RGB", (edge, edge))  # decode a big JPEG at a smaller scale, cheaply
    image = _upright(_in_srgb(picture), edge)
    if image_format == "JPEG":
        image = image if image.mode in ("L", "RGB") else _flattened(image)
        image.save(buffer, "JPEG", quality=QUALITY, progressive=True, optimize=True)
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    elif image_format == "WEBP":
        image = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
        image.save(buffer, "WEBP", quality=QUALITY)
    else:
        image.save(buffer, "GIF", optimize=True)
    return buffer.getvalue()


def _animation(picture):
    """The frames of an animation that may be decoded whole, else None (a still picture, or one
    too long: its first frame is kept)."""
    frames = getattr(picture, "n_frames", 1)
    width, height = picture.size
    if frames < 2 or frames > MAX_FRAMES or frames * width * height > settings.IMAGE_MAX_PIXELS:
        return None
    return [frame.copy() for frame in ImageSequence.Iterator(picture)]


def _upright(image, edge):
    """``image`` turned as its EXIF orientation says, at most ``edge`` pixels long, with no
    metadata left (only a palette's transparency, which is pixels, not metadata)."""
    image = ImageOps.exif_transpose(image)
    if max(image.size) > edge:
        if image.mode in ("P", "1"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    return image


def _in_srgb(image):
    """``image`` with its colours converted from its ICC profile (if any) to sRGB."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                SRGB,
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the plain conversion below
    if image.mode == "CMYK":
        return image.convert("RGB")
    image.load()
    return image


def _flattened(image):
    """``image`` in RGB, transparent parts white (JPEG has no transparency)."""
    rgba = image.convert("RGBA")
    white = Image.new("RGB", rgba.size, "white")
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


# --- Model and form fields ---------------------------------------------------------------------


@deconstructible
class ImageUploadValidator:
    """A new upload must be a picture :func:`prepared_image` accepts; the prepared picture is
    kept on the upload so saving it does not prepare it again."""

    def __call__(self, value):
        if getattr(value, "_committed", False):
            return  # stored earlier, prepared then
        upload = getattr(value, "file", value)
        upload.prepared_image = prepared_image(upload)

    def __eq__(self, other):
        return isinstance(other, ImageUploadValidator)


validate_image = ImageUploadValidator()


CENTRE = (50, 50)


class PictureFieldFile(models.fields.files.ImageFieldFile):
    """Whatever is saved into a picture field is prepared first and gets its renditions."""

    def save(self, name, content, save=True):
        prepared = getattr(content, "prepared_image", None) or prepared_image(content)
        super().save(prepared.name, prepared, save)
        make_renditions(self)

    @property
    def focus(self):
        """The focal point (x, y in percent from the left and top) cropped renditions are cut
        around: the model's focal-point fields, or the centre."""
        if not self.field.focus:
            return CENTRE
        return tuple(getattr(self.instance, name) for name in self.field.focus)

    def __html__(self):
        # The admin's read-only fields and list columns show a file as a link around the
        # escaped value (display_for_field): staff see the picture there, not its name.
        return preview_img(self, self.field.verbose_name) or format_html("{}", self.name)


class AdminPictureInput(AdminFileWidget):
    """The admin's file input with the stored picture shown small above it (:func:`preview`),
    linked to the full picture."""

    class Media:
        css = {"all": ["css/admin-forms.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.is_initial(value):
            return html
        return format_html("{}{}", preview_link(value, _("目前的图片")), html)


class PictureFormField(forms.FileField):
    """A file input (the admin's too) that offers only the accepted picture types."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPT}


class PictureField(models.ImageField):
    """An ``ImageField`` whose files always pass :func:`prepared_image` (see
    :class:`PictureFieldFile`) and get the renditions of ``purposes``."""

    attr_class = PictureFieldFile
    default_validators = [validate_image]

    def __init__(self, *args, purposes=(), focus=(), **kwargs):
        """``focus``: the names of the model's two fields holding the focal point (x, y)."""
        self.purposes = tuple(purposes)
        self.focus = tuple(focus)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.purposes:
            kwargs["purposes"] = self.purposes
        if self.focus:
            kwargs["focus"] = self.focus
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        image = super().pre_save(model_instance, add)  # a new upload is stored with its renditions
        if self.focus and not add:
            # The point may have moved (or a picture been put back by name): its crops.
            make_missing_renditions(image)
        return image

    def formfield(self, **kwargs):
        # A plain FileField: the validator decodes the picture once, with the caps and the
        # Chinese messages; forms.ImageField would decode it first with neither.
        if kwargs.get("widget") is AdminFileWidget:  # every ModelAdmin's choice for a file
            kwargs["widget"] = AdminPictureInput
        return models.FileField.formfield(self, **{"form_class": PictureFormField, **kwargs})


# --- Renditions ----------------------------------------------------------------------------------


class Purpose(NamedTuple):
    """How pictures are shown for one purpose: ``widths`` for ``srcset``, ``ratio`` (width,
    height) of the box (cropped to it, or fitted in it when ``crop`` is off), ``sizes`` for the
    browser, and the fallback format (JPEG; PNG keeps a logo's transparency)."""

    widths: tuple[int, ...]
    ratio: tuple[int, int]
    sizes: str
    crop: bool = True
    fallback: str = "jpg"

    @property
    def width(self):
        """The width the ``<img>`` declares (its ``src`` too): the middle rendition."""
        return self.widths[len(self.widths) // 2]

    def height_for(self, width):
        return round(width * self.ratio[1] / self.ratio[0])


PURPOSES = {
    "card": Purpose((240, 480, 960), (16, 9), "(min-width: 720px) 320px, 100vw"),
    "cover": Purpose((480, 960, 1440), (16, 9), "(min-width: 720px) 45vw, 100vw"),
    "carousel": Purpose((640, 960, 1440), (16, 9), "(min-width: 1200px) 960px, 100vw"),
    "logo": Purpose((96, 160, 320), (1, 1), "120px", crop=False, fallback="png"),
}
RENDITION_FORMATS = ("webp",)  # besides each purpose's fallback


class Rendition(NamedTuple):
    url: str
    width: int
    height: int


def _options(purpose, width, focus=CENTRE):
    options = {"size": (width, purpose.height_for(width)), "quality": QUALITY}
    if purpose.crop:
        options["crop"] = True
        if tuple(focus) != CENTRE:  # easy-thumbnails' default: the names stay as they were
            options["target"] = tuple(focus)
    else:
        options["upscale"] = True  # a small logo still fills its box
    return options


def _thumbnailer(image, extension):
    # Imported here: easy_thumbnails picks its storage when imported, and doing that while the
    # models load would fix settings.STORAGES before a test or a script may still change it.
    from easy_thumbnails.files import get_thumbnailer

    thumbnailer = get_thumbnailer(image)
    # One extension whatever the picture's transparency, so the name is known before it exists.
    thumbnailer.thumbnail_extension = extension
    thumbnailer.thumbnail_transparency_extension = extension
    return thumbnailer


def renditions(image, purpose, extension):
    """The renditions of ``image`` (a picture field's value) for ``purpose`` ("card"…) in
    ``extension`` ("webp", "jpg", "png"), smallest first; addresses computed, not looked up."""
    spec = PURPOSES[purpose]
    names = _rendition_names(image, purpose, extension)
    return [
        Rendition(default_storage.url(name), width, spec.height_for(width))
        for name, width in zip(names, spec.widths, strict=True)
    ]


def _rendition_names(image, purpose, extension):
    return _names_of(image.name, purpose, extension, getattr(image, "focus", CENTRE))


@functools.lru_cache(maxsize=8192)
def _names_of(name, purpose, extension, focus):
    # easy-thumbnails prepares and hashes the options for every name, and a list page asks for
    # 120 of them; they depend only on the picture's name, its focal point and the settings, so
    # each process works them out once (pictures live in the default storage, see PictureField).
    spec = PURPOSES[purpose]
    thumbnailer = _thumbnailer(name, extension)
    return tuple(
        thumbnailer.get_thumbnail_name(_options(spec, width, focus)) for width in spec.widths
    )


@receiver(setting_changed)
def _forget_names(setting, **kwargs):
    if setting.startswith("THUMBNAIL_") or setting in ("STORAGES", "MEDIA_ROOT"):
        _names_of.cache_clear()


def rendition_url(image, purpose):
    """The address of ``image``'s fallback rendition for ``purpose`` at its declared width
    (for ``og:image``); an empty string for no image."""
    if not image:
        return ""
    spec = PURPOSES[purpose]
    return next(r.url for r in renditions(image, purpose, spec.fallback) if r.width == spec.width)


PREVIEW_WIDTH = 240


def preview(image):
    """The small picture of ``image`` (a picture field's value) staff see in the admin: the
    smallest rendition of its field's first purpose, at most ``PREVIEW_WIDTH`` wide; the picture
    itself, scaled, when it has no rendition (a field without purposes, or one not made yet).
    None for no image, or one missing from the storage (no broken picture on the form)."""
    if not image:
        return None
    purposes = getattr(image.field, "purposes", ())
    if purposes:
        spec = PURPOSES[purposes[0]]
        name = _rendition_names(image, purposes[0], spec.fallback)[0]
        if default_storage.exists(name):
            width = min(spec.widths[0], PREVIEW_WIDTH)
            return Rendition(default_storage.url(name), width, spec.height_for(width))
    try:
        width, height = image.width, image.height
    except (OSError, ValueError, SyntaxError):
        return None
    if not width or not height:
        return None
    shown = min(width, PREVIEW_WIDTH)
    return Rendition(image.url, shown, round(height * shown / width))


def preview_img(image, alt):
    """The ``<img>`` of :func:`preview`, or an empty string when there is none."""
    shown = preview(image)
    if shown is None:
        return ""
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="picture-preview">',
        shown.url,
        shown.width,
        shown.height,
        alt,
    )


def preview_link(image, alt):
    """:func:`preview_img` linked to the full picture; an empty string for none."""
    img = preview_img(image, alt)
    return format_html('<a href="{}">{}</a>', image.url, img) if img else ""


def make_renditions(image, purposes=None):
    """Write every rendition of ``image`` for its field's purposes (or ``purposes``) into the
    default storage, replacing older ones; returns how many."""
    purposes = image.field.purposes if purposes is None else purposes
    focus = image.focus
    count = 0
    for purpose in purposes:
        spec = PURPOSES[purpose]
        for extension in (*RENDITION_FORMATS, spec.fallback):
            thumbnailer = _thumbnailer(image, extension)
            for width in spec.widths:
                options = _options(spec, width, focus)
                if extension == "jpg":
                    options["replace_alpha"] = "#fff"
                thumbnail = thumbnailer.generate_thumbnail(options)
                # The name is the one renditions() computes, without replace_alpha.
                name = thumbnailer.get_thumbnail_name(_options(spec, width, focus))
                default_storage.delete(name)
                default_storage.save(name, thumbnail)
                count += 1
    return count


# --- Rich-text editor ---------------------------------------------------------------------------


class EditorImageStorage:
    """``CKEDITOR_5_FILE_STORAGE``: the editor's body images, through the default storage.

    django-ckeditor-5 calls ``save(name, file)`` and ``url(name)``; the name it passes is the
    uploader's own file name, which we replace by ``editor/<yyyy>/<mm>/<random>.<ext>``.
    """

    def save(self, name, content, max_length=None):
        # portal.editor_upload has already prepared the picture; an exception here would be
        # a 500.
        return default_storage.save(editor_upload_path.path_for(name), content, max_length)

    def url(self, name):
        return default_storage.url(name)

    def delete(self, name):
        default_storage.delete(name)

    def exists(self, name):
        return default_storage.exists(name)


# --- Pictures stored before this pipeline --------------------------------------------------------


class CleanResult(NamedTuple):
    changed: int
    unchanged: int
    failed: list[tuple[str, str]]


def stored_format(name):
    """The format a stored name's extension promises, or None for a name that promises none."""
    return FORMATS_BY_EXTENSION.get(PurePosixPath(name).suffix.lower().lstrip("."))


def is_clean(data, image_format):
    """Whether the picture bytes ``data`` are already as :func:`prepared_image` leaves them:
    in ``image_format``, no metadata, long edge within the cap."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            return (
                picture.format == image_format
                and max(picture.size) <= settings.IMAGE_MAX_EDGE
                and set(picture.info) <= ENCODER_INFO
                and not picture.getexif()
            )
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False


def clean_stored(name, dry_run=False):
    """Prepare the stored picture ``name`` in place (same name, so pages and body HTML that link
    to it keep working), in the format its extension promises, since that is what the media
    server announces. Returns True when it was changed (or would be); one already clean is left
    alone, so a second run changes nothing."""
    image_format = stored_format(name)
    if image_format is None:
        raise ValidationError(_("文件扩展名不是图片格式。"), code="extension")
    with default_storage.open(name) as stored:
        original = stored.read()
    if is_clean(original, image_format):
        return False
    prepared = prepared_image(ContentFile(original, name=name), image_format)
    if not dry_run:
        default_storage.delete(name)
        saved = default_storage.save(name, prepared)
        if saved != name:  # a storage that renamed it behind our back
            raise ValidationError(_("无法原地保存：%(name)s"), params={"name": saved})
    return True


def renditions_missing(image):
    """Whether any rendition of ``image`` (a picture field's value) is not in the storage."""
    return any(
        not default_storage.exists(name)
        for purpose in image.field.purposes
        for extension in (*RENDITION_FORMATS, PURPOSES[purpose].fallback)
        for name in _rendition_names(image, purpose, extension)
    )


def make_missing_renditions(image):
    """Make the renditions of a stored picture when any is missing (its focal point moved).

    Saving the model must not fail over a picture file that is gone or broken: that is logged,
    and ``clean_images`` reports it."""
    from easy_thumbnails.exceptions import EasyThumbnailsError  # see _thumbnailer

    if not (image and image._committed):
        return
    try:
        if renditions_missing(image):
            make_renditions(image)
    except (OSError, EasyThumbnailsError):
        logger.warning("No renditions for %s", image.name, exc_info=True)


def stored_pictures():
    """Every stored picture: each picture field's value, then the editor's images (names)."""
    pictures = []
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, PictureField):
                rows = model._default_manager.exclude(**{field.attname: ""}).only(
                    field.attname, *field.focus
                )
                pictures += [getattr(row, field.attname) for row in rows.iterator()]
    return pictures + _names_under(EDITOR_DIR)


def _names_under(folder):
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}" for name in files]
    for child in folders:
        names += _names_under(f"{folder}/{child}")
    return names


def clean_stored_pictures(dry_run=False, progress=iter):
    """:func:`clean_stored` for every stored picture, and the renditions of those that have
    purposes made where any is missing. ``progress`` wraps the list (a progress bar)."""
    from easy_thumbnails.exceptions import EasyThumbnailsError  # see _thumbnailer

    changed = unchanged = 0
    failed = []
    for picture in progress(stored_pictures()):
        name = getattr(picture, "name", picture)
        try:
            cleaned = clean_stored(name, dry_run)
            stale = isinstance(picture, PictureFieldFile) and (
                cleaned or renditions_missing(picture)
            )
            if stale and not dry_run:
                make_renditions(picture)
        except (ValidationError, OSError, EasyThumbnailsError) as error:
            failed.append((name, "；".join(getattr(error, "messages", [str(error)]))))
            continue
        if cleaned or stale:
            changed += 1
        else:
            unchanged += 1
    return CleanResult(changed, unchanged, failed)
