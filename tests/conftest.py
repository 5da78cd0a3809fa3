import os
import time

import pytest

# Set by .ci/run for its PostgreSQL pass: a green run there must mean PostgreSQL was exercised.
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def _using_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    if REQUIRE_POSTGRES and not _using_postgres():
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but DATABASE_URL is not a PostgreSQL database")
    if _using_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_POSTGRES and report.skipped and "postgres" in item.keywords:
        report.outcome = "failed"
        report.longrepr = "a PostgreSQL test was skipped in the PostgreSQL run"


@pytest.fixture(autouse=True)
def _still_rate_limit_clock(monkeypatch):
    """django-ratelimit counts in fixed windows of the clock: a test's requests that straddled
    a window's end would start a new count and pass the limit. Its clock stands still in a test."""
    import types

    from django_ratelimit import core

    now = time.time()
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: now))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads made by a test go to a temporary folder, never into media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Tests log many users in; a slow, safe hash buys nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings, request):
    """Each test gets a cache of its own: throttles, rate limits and cached pages never leak
    from one test into the next, nor into the shared cache of a running `make run`."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def dead_redis(settings):
    """The default cache is a Redis server that is down."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }


@pytest.fixture
def broken_file_cache(settings, tmp_path):
    """The default cache is the file cache on a disk that refuses every write."""
    # A file where the folder should be: what a full or read-only disk looks like, even to root.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.caches.FileBasedCache",
            "LOCATION": str(blocker / "cache"),
        }
    }
