"""Security headers and cookies meet every rule of MDN HTTP Observatory's scoring.

Pages are requested through the production settings (read from a production start of the
settings module), over HTTPS as the reverse proxy reports it.
"""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, SuperuserFactory
from tests.headers import parse_csp
from tests.page_forms import page_form_data
from tests.production import PRODUCTION_ENV, settings_values
from tests.public_pages import public_page_urls

pytestmark = pytest.mark.django_db

HOST = PRODUCTION_ENV["ALLOWED_HOSTS"]
HTTPS = {"X-Forwarded-Proto": "https"}
PRODUCTION_SETTINGS = [
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
]
# Observatory's Referrer-Policy bonus set.
GOOD_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
SIX_MONTHS = 15552000


@pytest.fixture(scope="session")
def production_values():
    return settings_values(PRODUCTION_SETTINGS, **PRODUCTION_ENV)


@pytest.fixture
def production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def get(client, url):
    return client.get(url, headers=HTTPS, HTTP_HOST=HOST)


def post(client, url, data):
    return client.post(url, data, headers=HTTPS, HTTP_HOST=HOST)


def log_in(client, username):
    return post(
        client,
        reverse("admin:login"),
        {"username": username, "password": "correct-horse-battery", "next": "/admin/"},
    )


def assert_observatory_headers(response, url):
    csp = parse_csp(response["Content-Security-Policy"])
    script_src = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_src, url
    assert "'unsafe-eval'" not in script_src, url
    assert csp["default-src"] in (["'self'"], ["'none'"]), url
    assert csp["object-src"] == ["'none'"], url
    assert csp["base-uri"] in (["'self'"], ["'none'"]), url
    assert csp["frame-ancestors"] == ["'none'"], url
    assert csp["form-action"] == ["'self'"], url
    assert not any(
        source in {"*", "http:", "https:"} for sources in csp.values() for source in sources
    ), url

    hsts = dict(
        (item.strip().partition("=")[::2])
        for item in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= SIX_MONTHS, url
    assert "includeSubDomains" in hsts and "preload" in hsts, url

    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Referrer-Policy"] in GOOD_REFERRER_POLICIES, url
    assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert "camera=()" in response["Permissions-Policy"], url
    assert "geolocation=()" in response["Permissions-Policy"], url
    assert "microphone=()" in response["Permissions-Policy"], url
    assert "Access-Control-Allow-Origin" not in response, url


def test_every_public_page_has_the_full_header_set_and_no_cookies(client, production):
    for name, url in public_page_urls().items():
        response = get(client, url)
        assert response.status_code == (404 if name == "not_found" else 200), url
        assert_observatory_headers(response, url)
        csp = parse_csp(response["Content-Security-Policy"])
        assert csp["style-src"] == ["'self'"], url
        assert not response.cookies, (url, response.cookies)


def test_static_files_are_not_shared_with_other_origins(client, production):
    production.WHITENOISE_USE_FINDERS = True  # no collectstatic in the test run
    response = get(client, "/static/css/site.css")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_admin_login_has_the_header_set_and_host_only_secure_cookies(client, production):
    login_url = reverse("admin:login")
    response = get(client, login_url)
    assert response.status_code == 200
    assert_observatory_headers(response, login_url)
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    assert csrf["path"] == "/" and not csrf["domain"]

    StaffFactory(username="editor")
    response = log_in(client, "editor")
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]
    assert set(response.cookies) <= {"__Host-sessionid", "__Host-csrftoken"}


def test_admin_messages_add_no_cookie_of_their_own(client, production):
    SuperuserFactory(username="chief")
    log_in(client, "chief")
    add_url = reverse("admin:taggit_tag_add")
    form = get(client, add_url)
    response = post(
        client, add_url, page_form_data(form, "tag_form", name="基层党建", slug="jiceng-dangjian")
    )
    assert response.status_code == 302
    assert all(name.startswith("__Host-") for name in response.cookies), response.cookies
    page = get(client, response["Location"])
    assert "成功" in page.content.decode()  # the admin's "added" message still shows


def test_only_the_admin_allows_inline_styles(client, production):
    admin_csp = parse_csp(get(client, reverse("admin:login"))["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin_csp["style-src"]
    public_csp = parse_csp(get(client, "/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in public_csp["style-src"]


def test_admin_policy_follows_the_configured_admin_url(client, production):
    production.ADMIN_URL = "houtai/"
    csp = parse_csp(get(client, "/houtai/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in csp["style-src"]
    csp = parse_csp(get(client, "/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["style-src"]


def test_plain_http_redirects_to_https_on_the_same_host(client, production):
    response = client.get(
        "/news/archive/?page=2", headers={"X-Forwarded-Proto": "http"}, HTTP_HOST=HOST
    )
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/news/archive/?page=2"
