"""Database down: 503 with Retry-After and the Chinese page; back to normal by itself."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.test import Client

from tests.factories import ArticleFactory, ChannelFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def unreachable(settings_dict):
    """Where the database is not: a closed port, or a SQLite file in a missing folder."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return {"NAME": "/nonexistent-folder/db.sqlite3"}
    return {"HOST": "127.0.0.1", "PORT": "1"}


@contextmanager
def database_outage():
    """The default database goes away: requests get a connection whose server is not there.
    Yields a function that brings it back on that same connection."""
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    broken = original.__class__({**settings_dict, **unreachable(settings_dict)}, alias="default")
    connections["default"] = broken
    try:
        yield lambda: broken.settings_dict.update(settings_dict)
    finally:
        broken.close()
        connections["default"] = original


@pytest.fixture
def visitor():
    # A real server answers an uncaught exception with a page; the test client would re-raise it.
    return Client(raise_request_exception=False)


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/", "/news/archive/", "/schools/", "/sitemap.xml"])
def test_pages_answer_503_with_the_chinese_page(visitor, url):
    with database_outage():
        response = visitor.get(url)
    assert_unavailable(response)
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "请稍后再试" in html
    assert '<html lang="zh-CN">' in html


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503(visitor):
    with database_outage():
        response = visitor.get("/healthz")
    assert_unavailable(response)
    assert response.json() == {"database": "unavailable"}


@pytest.mark.django_db(transaction=True)
def test_recovers_by_itself_when_the_database_is_back(visitor):
    article = ArticleFactory(channel=ChannelFactory(), title="数据库恢复后可见")
    with database_outage() as database_back:
        assert_unavailable(visitor.get(article.get_absolute_url()))
        assert_unavailable(visitor.get("/healthz"))
        database_back()
        assert visitor.get("/healthz").status_code == 200
        response = visitor.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "数据库恢复后可见" in response.content.decode()


@pytest.mark.django_db
def test_a_failing_query_is_still_a_500(visitor, settings):
    """Only a missing connection is an outage; a broken query is our bug and says so."""
    with connections["default"].cursor() as cursor:
        cursor.execute("DROP TABLE portal_sitesettings")
    response = visitor.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_served_503_when_database_url_points_at_a_closed_port():
    """The whole application as `make run` serves it, with PostgreSQL not listening."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/portal",
        SECRET_KEY="outage-test-" + "x" * 50,
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        # collectstatic has not run here: unhashed static file names.
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}}; "
        "from django.test import Client; "
        "c = Client(raise_request_exception=False); "
        "r = c.get('/'); h = c.get('/healthz'); "
        "print(r.status_code, r['Retry-After'], '服务暂时不可用' in r.content.decode(), "
        "h.status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "503 30 True 503"


def serve(path):
    """One request through the WSGI handler as gunicorn calls it: unlike the test client, it
    lets Django open, keep and check the database connection between requests."""
    environ = {"PATH_INFO": path}
    setup_testing_defaults(environ)
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    response.close()
    return int(statuses[0].split()[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_server_dropped_is_replaced_unnoticed():
    """CONN_MAX_AGE keeps the connection between requests; when PostgreSQL drops it (a restart),
    CONN_HEALTH_CHECKS notices before the next request uses it, which then just works."""
    # The health check always asks the database; a public page may come from the caches alone.
    assert serve("/healthz") == 200
    kept = connections["default"]
    pid = kept.connection.info.backend_pid
    admin = kept.__class__(dict(kept.settings_dict), alias="admin")
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        admin.close()
    assert serve("/healthz") == 200
    assert kept.connection.info.backend_pid != pid
