"""Uploads served from a host name of their own: an absolute MEDIA_URL."""

from portal.sanitize import sanitize
from tests.portal.test_settings import run_django

MEDIA_HOST_URL = "https://files.example.edu.cn/media/"


def test_media_url_comes_from_the_environment_and_keeps_its_path_for_local_serving():
    result = run_django(
        "from django.conf import settings; from django.urls import resolve; "
        "print(settings.MEDIA_URL, resolve('/media/news/a.pdf').url_name)",
        MEDIA_URL=MEDIA_HOST_URL,
        SERVE_MEDIA="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [MEDIA_HOST_URL, "media"]


def test_editor_images_on_the_media_host_are_kept(settings):
    settings.ALLOWED_HOSTS = ["dangjian.example.cn"]
    settings.MEDIA_URL = MEDIA_HOST_URL
    result = sanitize(
        '<p><img src="https://files.example.edu.cn/media/editor/2026/11/a.jpg" alt="活动">'
        '<img src="https://elsewhere.example.com/b.jpg" alt="外站"></p>'
    )
    assert 'src="https://files.example.edu.cn/media/editor/2026/11/a.jpg"' in result.html
    assert "elsewhere" not in result.html
