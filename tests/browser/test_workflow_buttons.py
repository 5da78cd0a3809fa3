"""A workflow button saves what the form holds: 送审 right after typing, without 保存, submits
the typed text; a reviewer who may not edit still approves from the same form."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from news.models import Article, ArticleStatus
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
TYPED_SUMMARY = "送审前刚输入、还没有保存的摘要"


def test_submit_without_saving_submits_the_typed_summary(browser, live_server):
    SiteSettingsFactory(review_levels=1)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    article = ArticleFactory(status="draft", summary="原来的摘要", created_by=editor)
    admin_login(browser, live_server, "editor", PASSWORD)
    url = live_server.url + reverse("admin:news_article_change", args=[article.pk])
    browser.get(url)
    summary = browser.find_element(By.NAME, "summary")
    summary.clear()
    summary.send_keys(TYPED_SUMMARY)

    browser.find_element(By.CSS_SELECTOR, "button[name=_workflow][value=submit]").click()

    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"),
        "no message after 送审",
    )
    assert "已保存并送审" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    assert "待审核" in browser.find_element(By.CSS_SELECTOR, ".workflow-panel__state").text
    # In review the editor may no longer change it: the summary is shown as text.
    assert browser.find_element(By.CSS_SELECTOR, ".field-summary .readonly").text == TYPED_SUMMARY
    article.refresh_from_db()
    assert (article.status, article.summary) == (ArticleStatus.SUBMITTED, TYPED_SUMMARY)
    assert not severe_console_messages(browser)


def test_read_only_reviewer_approves(browser, live_server):
    SiteSettingsFactory(review_levels=1)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1])
    article = ArticleFactory(
        status="submitted", review_level=1, review_levels=1, review_round=1, created_by=editor
    )
    admin_login(browser, live_server, "r1", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))
    browser.find_element(By.ID, "workflow-comment-approve").send_keys("同意")
    browser.find_element(By.CSS_SELECTOR, "button[name=_workflow][value=approve]").click()
    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"),
        "no message after 审核通过",
    )
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.APPROVED
