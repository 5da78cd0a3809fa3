"""Public pages run in a real browser without JavaScript errors.

This guards the no-inline-script rule: once a Content-Security-Policy forbids inline scripts,
any that slipped into a template shows up here as a console error.
"""

import pytest

from tests.factories import SiteSettingsFactory

from .conftest import severe_console_messages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_loads_without_console_errors(browser, live_server):
    SiteSettingsFactory(site_name="青湾区教育系统党建网")

    browser.get(live_server.url + "/")

    assert "青湾区教育系统党建网" in browser.title
    assert severe_console_messages(browser) == []
