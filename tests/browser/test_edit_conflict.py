"""An edit conflict in the browser: a colleague saves while the form is open; 保存 is refused
with the choice, 保存 again is still refused (the colleague's text stays), and 以我的版本覆盖
saves what the user typed."""

import pytest
import reversion
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from news.models import Article
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
CONFLICT = "保存失败：您打开这个表单之后"
MINE = "我在表单里改的摘要"
COLLEAGUE = "同事刚刚保存的摘要"


def submit_and_wait(browser, selector):
    """Click the submit button ``selector`` and wait for the next page."""
    old_page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, selector).click()
    wait_until(browser, expected_conditions.staleness_of(old_page), "the form was not sent")
    wait_until(browser, lambda d: d.find_elements(By.ID, "user-tools"), "no admin page")


def stored_summary(article):
    return Article.objects.values_list("summary", flat=True).get(pk=article.pk)


def test_a_colleagues_save_is_kept_until_the_user_chooses_to_overwrite(browser, live_server):
    SiteSettingsFactory(review_levels=1)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    colleague = RoleUserFactory(username="colleague", roles=["编辑"], first_name="王芳")
    article = ArticleFactory(status="draft", summary="原来的摘要", created_by=editor)
    admin_login(browser, live_server, "editor", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))
    summary = browser.find_element(By.NAME, "summary")
    summary.clear()
    summary.send_keys(MINE)

    # Meanwhile the colleague saves the same article, through the admin's revision path.
    with reversion.create_revision():
        reversion.set_user(colleague)
        article.summary = COLLEAGUE
        article.save()

    submit_and_wait(browser, "input[name=_save]")
    page = browser.find_element(By.ID, "content").text
    assert CONFLICT in page and "王芳" in page
    assert browser.find_element(By.NAME, "summary").get_attribute("value") == MINE
    assert browser.find_elements(By.CSS_SELECTOR, "button[name=_edit_lock_resolution]")
    assert stored_summary(article) == COLLEAGUE

    submit_and_wait(browser, "input[name=_save]")
    assert CONFLICT in browser.find_element(By.ID, "content").text
    assert browser.find_element(By.NAME, "summary").get_attribute("value") == MINE
    assert stored_summary(article) == COLLEAGUE

    submit_and_wait(browser, "button[name=_edit_lock_resolution][value=overwrite]")
    assert browser.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success")
    assert CONFLICT not in browser.find_element(By.ID, "content").text
    assert stored_summary(article) == MINE
    assert not severe_console_messages(browser)
