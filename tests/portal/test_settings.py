"""The settings module refuses unsafe production configurations."""

import os
import subprocess
import sys

import pytest

from tests.production import BASE_DIR, PRODUCTION_ENV, run_django, settings_values


def test_production_without_secret_key_refuses_to_start():
    env = dict(PRODUCTION_ENV, SECRET_KEY="")
    result = run_django("print('started')", **env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_django("print('started')", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_secret_key_starts_secure():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True ['dangjian.example.cn']"


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        # Shared by the workers of one machine, unlike a per-process memory cache.
        ("", "portal.caches.FileBasedCache"),
        ("redis://127.0.0.1:6379/4", "django_redis.cache.RedisCache"),
    ],
)
def test_cache_backend_follows_cache_url(cache_url, backend):
    env = {"CACHE_URL": cache_url} if cache_url else {}
    result = run_django(
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])", **env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_default_cache_lives_in_var():
    result = run_django(
        "from django.conf import settings as s; print(s.CACHES['default']['LOCATION'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(BASE_DIR / "var" / "cache")


@pytest.mark.parametrize("cache_url", ["", "redis://127.0.0.1:6379/4", "locmemcache://"])
def test_system_checks_vet_the_cache_for_rate_limits(cache_url):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    if cache_url.startswith("locmem"):
        # Each worker would count on its own: django-ratelimit refuses it.
        assert result.returncode != 0
        assert "django_ratelimit.E003" in output
    else:
        assert result.returncode == 0, output
        assert "django_ratelimit" not in output


@pytest.mark.parametrize("switch", [{}, {"HSTS_EXCLUDE_SUBDOMAINS": "true"}])
def test_check_deploy_has_no_warnings_in_production(switch):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(PRODUCTION_ENV, **switch)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_hsts_covers_subdomains_and_preload_unless_switched_off():
    names = ["SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS"]

    def hsts(**switch):
        values = settings_values(names, **PRODUCTION_ENV, **switch)
        silenced = values.pop("SILENCED_SYSTEM_CHECKS")
        return values, [check for check in silenced if check.startswith("security.")]

    assert hsts() == (
        {"SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True},
        [],
    )
    assert hsts(HSTS_EXCLUDE_SUBDOMAINS="true") == (
        {"SECURE_HSTS_INCLUDE_SUBDOMAINS": False, "SECURE_HSTS_PRELOAD": False},
        ["security.W005", "security.W021"],
    )


def test_make_run_over_plain_http_needs_no_https():
    """`make run` is DEBUG off without DJANGO_ENV: same headers, but nothing that needs HTTPS."""
    result = run_django(
        "from django.test import Client; "
        "r = Client().get('/robots.txt', HTTP_HOST='127.0.0.1'); "
        "print(r.status_code, 'Strict-Transport-Security' in r, "
        "'Content-Security-Policy' in r, r['Cross-Origin-Resource-Policy']); "
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)",
        DEBUG="false",
        SECRET_KEY="make-run-" + "k" * 50,
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "200 False True same-origin",
        "sessionid csrftoken False False False",
    ]


def test_site_speaks_chinese(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
