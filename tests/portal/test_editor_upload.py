"""The editor's image upload: real JPEG/PNG/GIF/WebP only, Chinese errors, big photos downscaled,
files over the byte cap refused."""

import io
import json
import os

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.images import ACCEPT
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/ckeditor5/image_upload/"


def picture(image_format, size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, image_format)
    return buffer.getvalue()


def upload(client, name, data):
    return client.post(URL, {"upload": SimpleUploadedFile(name, data)})


@pytest.fixture
def staff_client(client, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }}  # fmt: skip
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.bmp", picture("BMP")),
        ("photo.tiff", picture("TIFF")),
        ("photo.jpg", "这不是图片".encode()),
        ("photo.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"),
    ],
)
def test_refused_files_get_a_chinese_json_error(staff_client, name, data):
    response = upload(staff_client, name, data)
    assert response.status_code == 400
    message = json.loads(response.content)["error"]["message"]
    assert any("\u4e00" <= char <= "\u9fff" for char in message), message


def test_a_small_picture_is_stored(staff_client):
    response = upload(staff_client, "照片.png", picture("PNG"))
    assert response.status_code == 200
    assert json.loads(response.content)["url"].endswith(".png")


def test_a_large_photo_is_downscaled_not_refused(staff_client):
    width, height = 4000, 3000
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=98)
    response = upload(staff_client, "大照片.jpg", buffer.getvalue())
    assert response.status_code == 200, response.content
    url = json.loads(response.content)["url"]
    stored_name = "editor/" + url.split("/editor/", 1)[1]
    with default_storage.open(stored_name) as stored, Image.open(stored) as result:
        assert result.format == "JPEG"
        assert max(result.size) == 2560


def test_a_file_over_the_byte_cap_is_refused(staff_client, settings):
    data = picture("PNG")
    settings.IMAGE_MAX_BYTES = len(data) - 1
    response = upload(staff_client, "照片.png", data)
    assert response.status_code == 400
    assert "文件超过" in json.loads(response.content)["error"]["message"]


def test_non_staff_are_refused(client):
    client.force_login(UserFactory())
    response = upload(client, "photo.png", picture("PNG"))
    assert response.status_code == 403
    assert "权限" in json.loads(response.content)["error"]["message"]


def test_the_file_dialog_offers_only_accepted_types(settings):
    types = settings.CKEDITOR_5_CONFIGS["default"]["image"]["upload"]["types"]
    assert set(types) == {"jpeg", "png", "gif", "webp"}
    assert set(settings.CKEDITOR_5_UPLOAD_FILE_TYPES) == {"jpeg", "jpg", "png", "gif", "webp"}


def test_the_file_dialog_offers_what_the_upload_accepts(settings):
    # CKEditor's dialog accepts image/<type> for each of these; other pictures would be refused.
    types = settings.CKEDITOR_5_CONFIGS["default"]["image"]["upload"]["types"]
    assert sorted(f"image/{kind}" for kind in types) == sorted(ACCEPT.split(","))
