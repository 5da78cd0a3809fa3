"""The admin keeps a local draft: typed text survives a reload, a failed save and an expired
login, and disappears after a successful save (issue 5, "nothing lost")."""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from selenium.webdriver.common.by import By

from portal.models import SiteSettings
from portal.staff_access import LAST_SEEN
from tests.factories import SiteSettingsFactory, SuperuserFactory

from .conftest import admin_login, severe_console_messages, wait_until

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after a live-server test must not take away the rows the
    # data migrations made (the 审计员 group) from the tests that run after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
TYPED = "中共青湾区教育局委员会（未保存的修改）"
PROMPT = "恢复未保存的内容"


@pytest.fixture
def settings_form(browser, live_server):
    """A logged-in superuser on the SiteSettings change form."""
    row = SiteSettingsFactory(sponsor="原主办单位")
    SuperuserFactory(username="chief")
    admin_login(browser, live_server, "chief", PASSWORD)
    url = live_server.url + reverse("admin:portal_sitesettings_change", args=[row.pk])
    browser.get(url)
    return url


def field(browser, name):
    return browser.find_element(By.NAME, name)


def type_into(browser, name, text):
    element = field(browser, name)
    element.clear()
    element.send_keys(text)


def stored_draft_contains(browser, text):
    script = (
        "return Object.keys(localStorage)"
        ".filter(function (k) { return k.indexOf('admin-draft:') === 0; })"
        ".map(function (k) { return localStorage.getItem(k); }).join('\\n');"
    )
    return text in browser.execute_script(script)


def wait_for_draft(browser, text):
    wait_until(browser, lambda d: stored_draft_contains(d, text), "the draft was not stored")


def prompt_bars(browser):
    return browser.find_elements(By.CSS_SELECTOR, "[data-admin-draft-prompt]")


def wait_for_prompt(browser):
    wait_until(browser, lambda d: prompt_bars(d), f"no “{PROMPT}” prompt")
    [bar] = prompt_bars(browser)
    return bar


def test_typed_text_survives_a_reload_and_is_restored(browser, settings_form):
    type_into(browser, "sponsor", TYPED)
    wait_for_draft(browser, TYPED)

    browser.refresh()

    bar = wait_for_prompt(browser)
    assert PROMPT in bar.text
    assert bar.get_attribute("role") == "status"
    assert field(browser, "sponsor").get_attribute("value") == "原主办单位"
    bar.find_element(By.XPATH, ".//button[normalize-space()='恢复']").click()
    assert field(browser, "sponsor").get_attribute("value") == TYPED
    assert not prompt_bars(browser)
    assert not severe_console_messages(browser)


def test_discarding_drops_the_draft(browser, settings_form):
    type_into(browser, "sponsor", TYPED)
    wait_for_draft(browser, TYPED)
    browser.refresh()

    wait_for_prompt(browser).find_element(By.XPATH, ".//button[normalize-space()='放弃']").click()

    assert field(browser, "sponsor").get_attribute("value") == "原主办单位"
    assert not stored_draft_contains(browser, TYPED)
    browser.refresh()
    assert PROMPT not in browser.find_element(By.ID, "content").text


def test_no_prompt_after_a_successful_save(browser, settings_form):
    type_into(browser, "sponsor", TYPED)
    wait_for_draft(browser, TYPED)

    field(browser, "_save").click()

    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "ul.messagelist li.success"))
    assert SiteSettings.objects.get().sponsor == TYPED
    assert not stored_draft_contains(browser, TYPED)
    browser.get(settings_form)
    assert field(browser, "sponsor").get_attribute("value") == TYPED
    assert PROMPT not in browser.find_element(By.ID, "content").text
    assert not prompt_bars(browser)


def test_a_failed_validation_keeps_the_draft(browser, settings_form):
    type_into(browser, "sponsor", TYPED)
    field(browser, "site_name").clear()  # required: the save will be refused
    wait_for_draft(browser, TYPED)

    field(browser, "_save").click()

    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".errornote"))
    assert SiteSettings.objects.get().sponsor == "原主办单位"
    assert stored_draft_contains(browser, TYPED)
    browser.get(settings_form)  # e.g. the tab was closed and opened again
    wait_for_prompt(browser).find_element(By.XPATH, ".//button[normalize-space()='恢复']").click()
    assert field(browser, "sponsor").get_attribute("value") == TYPED
    assert field(browser, "site_name").get_attribute("value") == ""


def forget_the_session_cookie(browser):
    browser.delete_cookie("sessionid")


def idle_for_31_minutes(browser):
    """The server-side session, as it is after 31 idle minutes (STAFF_SESSION_IDLE_MINUTES)."""
    session = SessionStore(session_key=browser.get_cookie("sessionid")["value"])
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()


@pytest.mark.parametrize("expire", [forget_the_session_cookie, idle_for_31_minutes])
def test_an_expired_login_does_not_lose_the_text(browser, live_server, settings_form, expire):
    type_into(browser, "sponsor", TYPED)
    wait_for_draft(browser, TYPED)
    expire(browser)  # the session expired while the user was typing

    field(browser, "_save").click()  # the admin sends them to the login page

    wait_until(browser, lambda d: d.find_elements(By.NAME, "password"))
    assert SiteSettings.objects.get().sponsor == "原主办单位"
    admin_login(browser, live_server, "chief", PASSWORD)
    browser.get(settings_form)
    wait_for_prompt(browser).find_element(By.XPATH, ".//button[normalize-space()='恢复']").click()
    assert field(browser, "sponsor").get_attribute("value") == TYPED
