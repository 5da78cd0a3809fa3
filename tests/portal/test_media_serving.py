"""/media/: every upload served so that it can never run as a page of this site."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from tests import samples

pytestmark = pytest.mark.django_db


def _stored(name, data):
    return default_storage.save(name, ContentFile(data))


def _assert_protected(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("news/attachments/2026/11/old.html", samples.HTML),
        ("news/attachments/2026/11/old.svg", samples.SVG),
        ("editor/2026/11/old.svg", samples.SVG),
        ("news/attachments/2026/11/disguised.png", samples.HTML),
        ("news/attachments/2026/11/disguised.jpg", samples.SVG),
    ],
)
def test_stored_pages_and_svg_are_downloads_never_documents(client, name, data):
    """Files stored before the allow-list existed are harmless too."""
    response = client.get(f"/media/{_stored(name, data)}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    _assert_protected(response)


@pytest.mark.parametrize(
    ("extension", "image_format", "content_type"),
    [
        ("jpg", "JPEG", "image/jpeg"),
        ("png", "PNG", "image/png"),
        ("gif", "GIF", "image/gif"),
        ("webp", "WEBP", "image/webp"),
    ],
)
def test_pictures_are_shown_inline(client, extension, image_format, content_type):
    name = _stored(f"news/covers/2026/11/cover.{extension}", samples.picture(image_format))
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    _assert_protected(response)


def test_documents_are_downloads_with_their_own_type(client):
    name = _stored("news/attachments/2026/11/a.pdf", samples.PDF)
    response = client.get(f"/media/{name}")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert int(response["Content-Length"]) == len(samples.PDF)
    _assert_protected(response)


def test_head_answers_like_get_without_a_body(client):
    name = _stored("news/attachments/2026/11/a.pdf", samples.PDF)
    response = client.head(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert int(response["Content-Length"]) == len(samples.PDF)
    _assert_protected(response)


@pytest.mark.parametrize("method", ["post", "put", "delete", "trace", "options"])
def test_other_methods_are_not_allowed(method):
    name = _stored("news/attachments/2026/11/a.pdf", samples.PDF)
    # As a browser would send it: no CSRF token, so not a CSRF failure but 405.
    response = getattr(Client(enforce_csrf_checks=True), method)(f"/media/{name}")
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
    assert default_storage.exists(name)


@pytest.mark.parametrize(
    "path",
    [
        "a" * 3000,
        "news/" + "长" * 300 + ".pdf",
        "news/%00.pdf",
        "a.pdf%00.html",
        "../portal/settings.py",
        "news/../../portal/settings.py",
        "..%2F..%2Fportal%2Fsettings.py",
        "%2E%2E/%2E%2E/portal/settings.py",
        "/etc/passwd",
        "news//a.pdf",
        "news\\..\\a.pdf",
        "news/",
        "news",
        "missing.pdf",
    ],
)
def test_bad_or_missing_paths_are_not_found_never_an_error(client, path):
    _stored("news/a.pdf", samples.PDF)
    response = client.get(f"/media/{path}")
    assert response.status_code in (400, 404)


def test_a_folder_is_not_listed(client):
    _stored("news/attachments/2026/11/a.pdf", samples.PDF)
    assert client.get("/media/news/attachments/2026/11/").status_code == 404
    assert client.get("/media/news/attachments/2026/11").status_code == 404
