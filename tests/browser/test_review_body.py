"""A reviewer opening a submitted article sees its body rendered, not as HTML source."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from news import workflow
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

from .conftest import admin_login, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def test_reviewer_sees_the_rendered_body(browser, live_server):
    SiteSettingsFactory(review_levels=1)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1])
    article = ArticleFactory(status="draft", body="<p>会议强调<strong>三个坚持</strong>。</p>")
    workflow.perform("submit", article, editor)
    admin_login(browser, live_server, "r1", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-body_preview"))
    strong = browser.find_element(By.CSS_SELECTOR, ".field-body_preview .readonly p strong")
    assert strong.text == "三个坚持"
    assert "<p>" not in browser.find_element(By.CSS_SELECTOR, ".field-body_preview").text
