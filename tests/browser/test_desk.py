"""The desk on the admin home, as a reviewer sees it: the waiting article is there and opens;
on a phone the panel fits the screen."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from news import workflow
from tests.factories import ArticleFactory, RoleUserFactory, SiteSettingsFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
# Long enough to overflow a phone's width if the panel did not wrap it.
TITLE = "区教育系统开展“学习二十大、永远跟党走、奋进新征程”主题党日活动暨党员教师志愿服务启动仪式"


def test_reviewer_opens_the_waiting_article_from_the_desk(browser, live_server):
    SiteSettingsFactory(review_levels=2)
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    RoleUserFactory(username="r1", roles=["审核员"], review_levels=[1])
    article = ArticleFactory(title=TITLE, status="draft", created_by=editor)
    workflow.perform("submit", article, editor)
    admin_login(browser, live_server, "r1", PASSWORD)
    browser.get(live_server.url + reverse("admin:index"))
    panel = browser.find_element(By.CSS_SELECTOR, ".desk-panel--review")
    assert "待我审核" in panel.text
    assert TITLE in panel.text
    assert "送审时间：—" not in panel.text

    for width, path in [(390, "/tmp/desk-390.png"), (1366, "/tmp/desk-1366.png")]:
        browser.set_window_size(width, 900)
        # The viewport, not the window, is what must fit (the window adds nothing headless).
        wait_until(
            browser,
            lambda d, w=width: d.execute_script("return window.innerWidth") == w,
            f"the window did not become {width} px wide",
        )
        browser.save_screenshot(path)
        if width == 390:
            scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
            assert scroll_width <= 390, f"the admin home scrolls sideways: {scroll_width} px"
            panel_box = browser.execute_script(
                "return document.querySelector('.desk-panel--review').getBoundingClientRect().right"
            )
            assert panel_box <= 390

    browser.find_element(By.LINK_TEXT, TITLE).click()
    wait_until(
        browser,
        lambda d: d.current_url.endswith(reverse("admin:news_article_change", args=[article.pk])),
        "the title did not open the article's form",
    )
    assert "待审核" in browser.find_element(By.CSS_SELECTOR, ".workflow-panel__state").text
    assert not severe_console_messages(browser)
