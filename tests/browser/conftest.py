"""Headless Chromium for the browser tests (marked ``browser``; run with ``make test-browser``).

Debian's Chromium and chromedriver only (``apt-get install chromium chromium-driver``): the
driver path is passed explicitly, so Selenium Manager never tries to download anything.
Without them the tests are skipped, except when ``REQUIRE_BROWSER=1`` (``make test-browser``,
CI), where a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
WAIT_SECONDS = 10

CHROMIUM_ARGUMENTS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1024",
    "--lang=zh-CN",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_BROWSER and report.skipped and "browser" in item.keywords:
        report.outcome = "failed"
        report.longrepr = "a browser test was skipped in a run that requires the browser"


@pytest.fixture
def browser(tmp_path):
    """A fresh headless Chromium (own profile, so localStorage starts empty)."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    if missing:
        message = (
            f"Chromium not found ({', '.join(missing)}): "
            "apt-get install -y chromium chromium-driver"
        )
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait_until(driver, condition, message="", timeout=WAIT_SECONDS):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition, message)


def set_width(driver, width, height=1000):
    """Resize the window and wait until the page is laid out at ``width`` CSS pixels."""
    driver.set_window_size(width, height)
    wait_until(
        driver,
        lambda d: d.execute_script("return window.innerWidth") == width,
        f"the window did not become {width} px wide",
    )


def admin_login(driver, live_server, username, password):
    """Log in through the admin's own login page, as a person would."""
    from selenium.webdriver.common.by import By

    driver.get(live_server.url + reverse("admin:login"))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait_until(
        driver,
        lambda d: d.find_elements(By.ID, "user-tools"),
        "the admin did not accept the login",
    )


def severe_console_messages(driver):
    """Errors in the browser console: a page's scripts, styles, images and icon all count."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
