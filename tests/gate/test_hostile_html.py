"""Every hostile case: nothing executable or hidden is stored or shown, and the editor is told."""

import re

import pytest

from portal import html_tree
from portal.hidden_content import hidden_links, hiding
from portal.sanitize import clean_html, sanitize
from tests.factories import ArticleFactory
from tests.gate.hostile_html import CASES

EXECUTABLE_TAGS = {
    "script", "iframe", "frame", "object", "embed", "applet", "svg", "math", "style", "base",
    "meta", "link", "form", "input", "textarea", "button", "noscript", "template",
}  # fmt: skip
SCRIPT_SCHEMES = re.compile(r"^(javascript|vbscript|data):")
BODY = re.compile(r'<div class="article-body"[^>]*>(.*?)</div>\s*(?:<|$)', re.DOTALL)


def assert_harmless(html):
    tree = html_tree.parse(html)
    for element in tree.elements():
        assert element.tag not in EXECUTABLE_TAGS, html
        assert hiding(element) is None, html
        for name, value in element.attrs.items():
            assert not name.startswith("on"), html
            assert name not in ("style", "hidden", "srcdoc"), html
            scheme = "".join(c for c in value if c > " ").lower()
            assert not SCRIPT_SCHEMES.match(scheme), html
    assert hidden_links(tree) == [], html
    assert "<script" not in html.lower()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_sanitised_html_is_harmless_and_removals_named(case):
    result = sanitize(case.html)
    assert_harmless(result.html)
    labels = [removal.label for removal in result.removed]
    for label in case.labels:
        assert label in labels
    assert clean_html(result.html) == result.html


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_stored_and_public_article_is_harmless(client, case):
    article = ArticleFactory(body=f"<p>开头</p>{case.html}<p>结尾</p>")
    article.refresh_from_db()
    assert_harmless(article.body)
    page = client.get(article.get_absolute_url()).content.decode()
    body = BODY.search(page)
    assert body is not None
    assert "开头" in body.group(1)
    assert_harmless(body.group(1))
    assert "spam.example" not in page
