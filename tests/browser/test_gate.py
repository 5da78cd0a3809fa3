"""The publication gate in the article form: a reviewer sees what the checks found, is stopped
until they confirm an ID number with a reason, and then approves."""

import os

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from news.models import ArticleStatus, ArticleTransition, TransitionAction
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
# A valid resident ID number (checksum and birth date), as a teacher might paste it.
ID_NUMBER = "11010519491231002X"
SHOTS = os.environ.get("SCREENSHOT_DIR")


def shoot(browser, name, width):
    if SHOTS:
        browser.set_window_size(width, 1400)
        browser.save_screenshot(os.path.join(SHOTS, f"{name}-{width}.png"))


def test_a_reviewer_confirms_an_id_number_with_a_reason_and_approves(browser, live_server):
    SiteSettingsFactory(review_levels=1)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1])
    article = ArticleFactory(
        status="submitted",
        review_level=1,
        review_levels=1,
        review_round=1,
        created_by=editor,
        body=f"<p>获奖教师身份证号：{ID_NUMBER}，请勿外传。</p>",
    )
    admin_login(browser, live_server, "r1", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))
    findings = browser.find_element(By.CSS_SELECTOR, ".workflow-panel__findings")
    assert "内容检查（1 项）" in findings.text and "需审核员确认" in findings.text
    assert "正文" in findings.text
    for width in (390, 1366):
        shoot(browser, "gate-findings", width)

    browser.find_element(By.CSS_SELECTOR, "button[name=_workflow][value=approve]").click()
    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.error"),
        "no refusal without a reason",
    )
    assert "确认理由" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED

    browser.find_element(By.ID, "gate-reason").send_keys("已删除号码后再发布的要求已告知作者")
    browser.find_element(By.CSS_SELECTOR, "button[name=_workflow][value=approve]").click()
    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"),
        "no success after confirming",
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.APPROVED
    confirmation = ArticleTransition.objects.get(article=article, action=TransitionAction.CONFIRM)
    assert confirmation.comment == "已删除号码后再发布的要求已告知作者"
    assert not severe_console_messages(browser)
