"""Under the Content-Security-Policy the browser refuses nothing: public pages, the admin's
article form with CKEditor 5, and the export form's select-all box all run clean."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.factories import SchoolFactory, SuperuserFactory
from tests.public_pages import public_page_urls

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
HTML_PAGES = {"feed_rss", "feed_atom", "channel_feed_rss", "sitemap", "robots", "healthz"}


def csp_violations(driver):
    """Violations seen by the page itself, on top of what reaches the console."""
    return driver.execute_script("return window.__cspViolations || [];")


def watch_csp_violations(driver):
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation', function (e) {"
            " window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI); });"
        },
    )


def test_public_pages_break_no_policy_rule(browser, live_server):
    watch_csp_violations(browser)
    for name, url in public_page_urls().items():
        if name in HTML_PAGES:
            continue
        browser.get(live_server.url + url)
        assert csp_violations(browser) == [], url
        messages = severe_console_messages(browser)
        if name == "not_found":  # the 404 status itself is logged
            messages = [m for m in messages if "404" not in m["message"]]
        assert messages == [], url


def test_article_form_with_ckeditor_breaks_no_policy_rule(browser, live_server):
    watch_csp_violations(browser)
    SuperuserFactory(username="editor")
    admin_login(browser, live_server, "editor", PASSWORD)
    browser.get(live_server.url + reverse("admin:news_article_add"))
    wait_until(
        browser,
        lambda d: d.execute_script("return !!(window.editors && window.editors['id_body']);"),
        "CKEditor did not start",
    )
    editable = browser.find_element(By.CSS_SELECTOR, ".ck-editor__editable")
    editable.click()
    editable.send_keys("在内容安全策略下输入正文")
    toolbar_bold = browser.find_element(By.CSS_SELECTOR, ".ck-toolbar button")
    toolbar_bold.click()

    assert csp_violations(browser) == []
    assert severe_console_messages(browser) == []


def test_export_form_select_all_works_under_the_policy(browser, live_server):
    watch_csp_violations(browser)
    SchoolFactory()
    SuperuserFactory(username="chief")
    admin_login(browser, live_server, "chief", PASSWORD)
    browser.get(live_server.url + reverse("admin:brands_school_export"))
    toggle = browser.find_element(By.NAME, "select-all-toggle")
    fields = browser.find_elements(
        By.CSS_SELECTOR, ".selectable-field-export-row input[type=checkbox]"
    )
    assert fields and all(field.is_selected() for field in fields if field.is_displayed())

    toggle.click()

    assert not any(field.is_selected() for field in fields if field.is_displayed())
    assert csp_violations(browser) == []
    assert severe_console_messages(browser) == []
