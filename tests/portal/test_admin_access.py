"""Where the admin is (ADMIN_URL) and who may reach it (ADMIN_ALLOWED_NETWORKS)."""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import clear_url_caches, reverse

import portal.urls
from tests.factories import StaffFactory
from tests.portal.test_settings import PRODUCTION_ENV, run_django

pytestmark = pytest.mark.django_db


@pytest.fixture
def inside_only(settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16", "2001:db8::/32"]


def test_addresses_outside_the_networks_get_403_on_the_admin(client, inside_only):
    response = client.get(reverse("admin:login"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    assert client.get(reverse("admin:login"), REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(reverse("admin:login"), REMOTE_ADDR="2001:db8::5").status_code == 200


def test_staff_outside_the_networks_cannot_upload_either(client, inside_only):
    client.force_login(StaffFactory())
    response = client.post(reverse("ck_editor_5_upload_file"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    response = client.get(reverse("admin:index"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403


def test_the_public_site_is_open_to_every_address(client, inside_only):
    assert client.get("/", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_address_is_the_one_the_audit_log_uses(client, inside_only, settings):
    forged = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "10.20.0.8"}
    assert client.get(reverse("admin:login"), **forged).status_code == 403  # proxy not trusted
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    assert client.get(reverse("admin:login"), **forged).status_code == 200


def test_without_networks_every_address_reaches_the_admin(client):
    assert client.get(reverse("admin:login"), REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.fixture
def admin_elsewhere():
    """The URLconf as it is built with ADMIN_URL="houtai/guanli/"."""
    with override_settings(ADMIN_URL="houtai/guanli/"):
        importlib.reload(portal.urls)
        clear_url_caches()
        yield
    importlib.reload(portal.urls)
    clear_url_caches()


def test_the_admin_follows_admin_url(client, admin_elsewhere):
    assert reverse("admin:index") == "/houtai/guanli/"
    assert reverse("two_factor:verify") == "/houtai/guanli/2fa/verify/"
    assert client.get("/admin/").status_code == 404
    response = client.get("/houtai/guanli/")
    assert response.status_code == 302
    assert response["Location"].startswith("/houtai/guanli/login/")
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /houtai/guanli/" in robots and "/admin/" not in robots


def test_the_allow_list_and_the_second_factor_follow_admin_url(client, admin_elsewhere, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get("/houtai/guanli/login/", REMOTE_ADDR="203.0.113.9").status_code == 403
    settings.ADMIN_ALLOWED_NETWORKS = []
    settings.ADMIN_REQUIRE_2FA = True
    client.force_login(StaffFactory())
    response = client.get("/houtai/guanli/")
    assert response["Location"].startswith("/houtai/guanli/2fa/enrol/")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADMIN_URL", "/admin/"),
        ("ADMIN_URL", "admin"),
        ("ADMIN_URL", "/"),
        ("ADMIN_ALLOWED_NETWORKS", "10.20.0.0/16,intranet"),
    ],
)
def test_a_malformed_setting_refuses_to_start(name, value):
    result = run_django("print('started')", **{name: value})
    assert result.returncode != 0 and name in result.stderr


def test_two_factor_is_required_in_production_and_optional_for_the_demo():
    show = "from django.conf import settings as s; print(s.ADMIN_REQUIRE_2FA)"
    assert run_django(show, **PRODUCTION_ENV).stdout.strip() == "True"
    assert run_django(show, DEBUG="true").stdout.strip() == "False"
    off = run_django(show, **PRODUCTION_ENV, ADMIN_REQUIRE_2FA="false")
    assert off.stdout.strip() == "False"


def test_login_settings_tell_where_the_admin_is_and_whether_2fa_is_required(settings):
    settings.ADMIN_REQUIRE_2FA = False
    out = StringIO()
    call_command("login_settings", "--base-url", "http://127.0.0.1:8000", stdout=out)
    assert "管理后台: http://127.0.0.1:8000/admin/" in out.getvalue()
    assert "两步验证: 未强制" in out.getvalue()
    settings.ADMIN_REQUIRE_2FA = True
    call_command("login_settings", stdout=out)
    assert "两步验证: 所有工作人员必须启用" in out.getvalue()
