"""The admin works under its Content-Security-Policy: no inline script runs unless the policy
allows exactly it, and nothing loads from another host."""

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, SchoolFactory
from tests.headers import parse_csp

pytestmark = pytest.mark.django_db

DATA_SCRIPT_TYPES = {"application/json", "text/template", "text/x-template"}


class _InlineCode(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts = 0
        self.handlers = []
        self.foreign = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        is_data = attrs.get("type") in DATA_SCRIPT_TYPES
        if tag == "script" and not attrs.get("src") and not is_data:
            self.inline_scripts += 1
        self.handlers += [value for name, value in attrs.items() if name.startswith("on")]
        is_stylesheet = tag == "link" and "stylesheet" in (attrs.get("rel") or "").split()
        url = (
            attrs.get("href")
            if is_stylesheet
            else attrs.get("src")
            if tag in {"script", "img"}
            else ""
        )
        if (url or "").startswith(("http:", "https:", "//")):
            self.foreign.append(url)


def _hash_source(script):
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def admin_urls():
    article = ArticleFactory()
    SchoolFactory()
    return [
        reverse("admin:index"),
        reverse("admin:news_article_changelist"),
        reverse("admin:news_article_add"),
        reverse("admin:news_article_change", args=[article.pk]),
        reverse("admin:news_article_history", args=[article.pk]),
        reverse("admin:brands_school_changelist"),
        reverse("admin:brands_school_import"),
        reverse("admin:brands_school_export"),
        reverse("admin:brands_school_add"),
    ]


def test_admin_pages_run_only_the_inline_code_their_policy_allows(admin_client):
    handlers = []
    for url in admin_urls():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        policy = parse_csp(response["Content-Security-Policy"])
        page = _InlineCode()
        page.feed(response.content.decode())
        assert page.inline_scripts == 0, url
        assert page.foreign == [], url
        handlers += page.handlers
        for handler in page.handlers:
            allowed = policy.get("script-src-attr", [])
            assert "'unsafe-hashes'" in allowed and _hash_source(handler) in allowed, (url, handler)
    assert handlers, "the export form's select-all handler was not seen: is the page still tested?"
