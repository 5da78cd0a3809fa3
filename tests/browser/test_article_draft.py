"""The article form keeps a local draft (issue 5 acceptance): text typed into the title and the
CKEditor body survives a reload and comes back with 恢复未保存的内容 → 恢复."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from news.models import Article
from tests.factories import ArticleFactory, SuperuserFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
TYPED_TITLE = "区教育局召开党建工作会议（未保存的标题）"
TYPED_BODY = "李老师补充的一段，还没有保存"


@pytest.fixture
def article_form(browser, live_server):
    article = ArticleFactory(draft=True, title="原来的标题", body="<p>原来的正文。</p>")
    SuperuserFactory(username="editor")
    admin_login(browser, live_server, "editor", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_change", args=[article.pk]))
    return article


def editor_data(browser):
    return browser.execute_script(
        "var e = window.editors && window.editors['id_body']; return e ? e.getData() : null;"
    )


def wait_for_editor(browser):
    wait_until(browser, lambda d: editor_data(d) is not None, "CKEditor did not start")


def test_typed_title_and_body_come_back_after_a_reload(browser, article_form):
    wait_for_editor(browser)
    title = browser.find_element(By.NAME, "title")
    title.clear()
    title.send_keys(TYPED_TITLE)
    editable = browser.find_element(By.CSS_SELECTOR, ".ck-editor__editable")
    editable.click()
    editable.send_keys(Keys.END, Keys.ENTER, TYPED_BODY)
    wait_until(
        browser,
        lambda d: (
            TYPED_BODY
            in (
                d.execute_script(
                    "return Object.keys(localStorage).filter(function (k) {"
                    " return k.indexOf('admin-draft:') === 0; })"
                    ".map(function (k) { return localStorage.getItem(k); }).join('');"
                )
                or ""
            )
        ),
        "the draft was not stored",
    )

    browser.refresh()

    wait_until(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-admin-draft-prompt]"),
        "no 恢复未保存的内容 prompt",
    )
    bar = browser.find_element(By.CSS_SELECTOR, "[data-admin-draft-prompt]")
    assert "恢复未保存的内容" in bar.text
    assert browser.find_element(By.NAME, "title").get_attribute("value") == "原来的标题"
    bar.find_element(By.XPATH, ".//button[normalize-space()='恢复']").click()

    assert browser.find_element(By.NAME, "title").get_attribute("value") == TYPED_TITLE
    wait_until(browser, lambda d: TYPED_BODY in (editor_data(d) or ""), "body not restored")
    assert "原来的正文。" in editor_data(browser)
    # Restored in the browser only: nothing is saved until the editor clicks 保存.
    assert Article.objects.get(pk=article_form.pk).title == "原来的标题"
    assert not severe_console_messages(browser)
