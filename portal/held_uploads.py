"""Files chosen on a form that is refused for another reason are kept, not lost.

A browser never sends a file twice: when a form comes back with an error in some other field,
its file inputs are empty and the user would have to pick every file again. So a file that
passed its own field's validation is held when the refused form is drawn: stored under
``MEDIA_ROOT/tmp/held/<random>/`` and named in the form by a hidden, signed reference
(``<field>__held``), shown as "已选择：文件名（保存时上传）". The next submit uses the held file,
unless a new one is chosen, and it goes through the field's validators again.

The reference is signed with ``django.core.signing`` together with the field's name and expires
after ``MAX_AGE``: a user cannot point a form at another stored file, nor move a held file from
one field to another. A reference that does not check out is a field error asking for the file
again, never a 500. Held files older than ``MAX_AGE`` are removed whenever a new one is held and
by ``manage.py purge_held_uploads``.
"""

import contextlib
import contextvars
import os
import uuid
from datetime import timedelta
from pathlib import PurePosixPath
from typing import NamedTuple

from django import forms
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .images import PREVIEW_WIDTH, PictureFormField

HELD_DIR = "tmp/held"
MAX_AGE = timedelta(days=1)
SALT = "portal.held_uploads"
SUFFIX = "__held"
INVALID_REFERENCE = _("所选的文件已失效，请重新选择文件。")

_opened = contextvars.ContextVar("held_files_opened", default=None)


class Held(NamedTuple):
    """A held file: its signed reference, the name it was chosen under, its storage name."""

    token: str
    name: str
    path: str


def hold(field_name, upload):
    """Store ``upload`` in the held area; returns the :class:`Held` file."""
    purge_expired()
    # A picture field's validator has prepared the picture (portal.images): that is what is
    # held, so no photo waits here with its GPS position.
    content = getattr(upload, "prepared_image", None) or upload
    extension = PurePosixPath(content.name).suffix.lower()[:10]
    content.seek(0)
    stored = default_storage.save(f"{HELD_DIR}/{uuid.uuid4().hex}/upload{extension}", content)
    token = signing.dumps({"field": field_name, "path": stored, "name": upload.name}, salt=SALT)
    return Held(token, upload.name, stored)


def held_file(field_name, token):
    """The held file ``token`` names for ``field_name``, or None when it does not check out
    (forged, for another field, expired, or already removed)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    if not isinstance(data, dict) or data.get("field") != field_name:
        return None
    path, name = data.get("path"), data.get("name")
    if not isinstance(path, str) or not path.startswith(f"{HELD_DIR}/") or not name:
        return None
    try:
        # Offered to the form as if it had just been uploaded, under its own name.
        size = default_storage.size(path)
        file = UploadedFile(default_storage.open(path), name=name, size=size)
    except (OSError, SuspiciousFileOperation):
        return None
    file.held = Held(token, name, path)
    opened = _opened.get()
    if opened is not None:
        opened.append(file)
    return file


@contextlib.contextmanager
def closing_held_files():
    """Close the held files opened in the block (one admin request: its forms are saved or
    refused by the end of it; drawing a refused form needs only their names)."""
    opened = []
    token = _opened.set(opened)
    try:
        yield
    finally:
        _opened.reset(token)
        for file in opened:
            file.close()


def held_names():
    """Storage names of every held file."""
    try:
        folders, _files = default_storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return []
    names = []
    for folder in folders:
        names += [
            f"{HELD_DIR}/{folder}/{name}"
            for name in default_storage.listdir(f"{HELD_DIR}/{folder}")[1]
        ]
    return names


def expired_names():
    cutoff = timezone.now() - MAX_AGE
    return [name for name in held_names() if default_storage.get_modified_time(name) < cutoff]


def purge_expired():
    """Remove the held files no reference may name any more; returns how many."""
    names = expired_names()
    for name in names:
        default_storage.delete(name)
        _remove_empty_folder(str(PurePosixPath(name).parent))
    return len(names)


def _remove_empty_folder(folder):
    try:
        path = default_storage.path(folder)
    except NotImplementedError:  # storages without folders have nothing to remove
        return
    with contextlib.suppress(OSError):  # not empty after all, or already gone
        os.rmdir(path)


class HeldUploadBoundField(BoundField):
    """A file input followed by the held file it stands for, if any (a picture shown small:
    it is held already prepared, see ``hold``)."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        html = super().as_widget(widget, attrs, only_initial)
        held = self.form.held_upload(self.name)
        if held is None:
            return html
        picture = (
            format_html(
                '<img src="{}" width="{}" alt="" class="picture-preview">',
                default_storage.url(held.path),
                PREVIEW_WIDTH,
            )
            if isinstance(self.field, PictureFormField)
            else ""
        )
        return html + format_html(
            '<p class="held-upload">{}已选择：<strong>{}</strong>（保存时上传）</p>'
            '<input type="hidden" name="{}" value="{}">',
            picture,
            held.name,
            self.html_name + SUFFIX,
            held.token,
        )


class HeldUploadsFormMixin:
    """Put before the form class: its file fields keep their files across a refused submit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held = {}
        self._refused_references = set()
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                field.bound_field_class = HeldUploadBoundField
                if self.is_bound:
                    self._take_held_file(name)

    def _take_held_file(self, name):
        html_name = self.add_prefix(name)
        token = self.data.get(html_name + SUFFIX)
        if not token or self.files.get(html_name):
            return  # nothing held, or a new choice replaces it
        file = held_file(name, token)
        if file is None:
            self._refused_references.add(name)
            return
        self.files = self.files.copy()
        self.files[html_name] = file
        self._held[name] = file.held

    def has_changed(self):
        # A row whose held file was refused must say so, not be skipped as empty.
        return bool(self._refused_references) or super().has_changed()

    def full_clean(self):
        super().full_clean()
        for name in self._refused_references:
            self.add_error(name, ValidationError(INVALID_REFERENCE, code="held_upload"))

    def held_upload(self, name):
        """The :class:`Held` file to show as chosen in field ``name``, holding a new upload
        first; None when there is none or the field refused it."""
        if not self.is_bound or name in self.errors:
            return None
        upload = self.files.get(self.add_prefix(name))
        if not isinstance(upload, UploadedFile):
            return None
        if name not in self._held:
            self._held[name] = hold(name, upload)
        return self._held[name]


def with_held_uploads(form_class):
    """``form_class`` with ``HeldUploadsFormMixin`` (unchanged when it has it already)."""
    if issubclass(form_class, HeldUploadsFormMixin):
        return form_class
    return type(form_class.__name__, (HeldUploadsFormMixin, form_class), {})
