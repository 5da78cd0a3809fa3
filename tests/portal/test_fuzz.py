"""Fuzz of every public URL pattern: whatever the path, parameters or method, never a 5xx.

The patterns are read from the URLconf, so a new page is fuzzed without touching this file
(only the admin and the editor's upload endpoint are left out: they need a staff login).
Each pattern gets path segments that fit (an existing article, tag, school…) or do not
(negative and huge numbers, unicode, NUL, RTL marks, 10,000 characters, SQL), query strings
with repeated keys, and every method. ``FUZZ_EXAMPLES`` raises the number of examples for a
deeper run by hand (``FUZZ_EXAMPLES=500 .venv/bin/pytest tests/portal/test_fuzz.py``).
"""

import os
import re
from urllib.parse import quote, urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    ArticleFactory,
    BrandFactory,
    CampaignFactory,
    ChannelFactory,
    SiteSettingsFactory,
)

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("admin/", "ckeditor5/")
# 204: the view-count beacon's answer.
ALLOWED_STATUSES = {200, 204, 301, 302, 304, 400, 403, 404, 405, 410, 429}
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS"]
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_VALUES = [
    "-1",
    "0",
    "9" * 30,
    str(2**63),
    "١٢",
    "\u202e",
    "\u202egpj.exe",
    "\u200b",
    "\x00",
    "主题党日\x00",
    "a\r\nSet-Cookie: x=1",
    "' OR '1'='1",
    "1; DROP TABLE news_article;--",
    "%",
    "%00",
    "..",
    "../../etc/passwd",
    "a" * 10_000,
    "党" * 10_000,
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "NaN",
    "1e9",
    " ",
    "last",
    "\ufeff",
    "😀",
]
nasty = st.sampled_from(NASTY_VALUES) | st.text(min_size=1, max_size=40) | st.integers().map(str)
# The parameters the views read (pages, filters), and tracking ones they must ignore.
QUERY_KEYS = ["page", "year", "month", "stage", "town", "group", "kind", "status", "level"]
QUERY_KEYS += ["category", "school", "q", "utm_source"]
query = st.lists(st.tuples(st.sampled_from(QUERY_KEYS) | st.text(max_size=20), nasty), max_size=4)

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def public_routes(patterns=None, prefix=""):
    """The route of every public URL pattern, such as ``"news/tags/<str:tag>/"``."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(entry, URLResolver):
            routes += public_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


ROUTES = public_routes()


@pytest.fixture
def existing(db):
    """Demo-like data, and the path values that reach it: a real article, tag, school…"""
    SiteSettingsFactory()
    channel = ChannelFactory(slug="gongzuo-dongtai")
    brand = BrandFactory()  # and its school
    article = ArticleFactory(
        channel=channel, tags=["主题党日", "%}"], brand=brand, cover="news/covers/c.jpg"
    )
    article.schools.add(brand.school)
    campaign = CampaignFactory()
    moment = timezone.localtime(article.publish_at)
    return {
        "pk": [str(article.pk)],
        "year": [str(moment.year)],
        "month": [str(moment.month)],
        "day": [str(moment.day)],
        "channel": [channel.slug],
        "tag": [tag.slug for tag in article.tags.all()],
        "slug": [brand.school.slug, brand.slug, campaign.slug],
        "path": ["news/covers/c.jpg"],
    }


# Every route meets these in every slot and parameter, whatever the random draw brings.
SWEEP_VALUES = ["-1", "9" * 30, "\x00", "\u202e", "a" * 10_000, "党" * 10_000, "' OR '1'='1"]


def fill(route, draw, existing):
    """``route`` with each parameter replaced by an existing value or a nasty one."""

    def value(match):
        name, converter = match["name"], match["converter"] or "str"
        text = draw(st.sampled_from(existing.get(name, ["x"])) | nasty)
        return quote(text, safe="/" if converter == "path" else "")

    return "/" + _PARAMETER.sub(value, route)


def test_every_public_pattern_is_fuzzed():
    assert {"", "news/tags/<str:tag>/", "schools/<slug:slug>/", "media/<path:path>"} <= set(ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_public_urls_survive_the_worst_values(client, existing, route):
    for nasty_value in SWEEP_VALUES:
        path = fill(route, lambda strategy, value=nasty_value: value, existing)
        pairs = [("page", nasty_value), ("page", nasty_value), ("year", nasty_value)]
        response = client.get(f"{path}?{urlencode(pairs)}")
        assert response.status_code in ALLOWED_STATUSES, (path[:300], response.status_code)


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(data=st.data())
def test_public_urls_never_answer_5xx(client, existing, route, data):
    path = fill(route, data.draw, existing)
    pairs = data.draw(query)
    method = data.draw(st.sampled_from(METHODS))
    url = f"{path}?{urlencode(pairs)}" if pairs else path
    response = client.generic(method, url)
    assert response.status_code in ALLOWED_STATUSES, (method, url[:300], response.status_code)
