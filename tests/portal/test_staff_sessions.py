"""Staff sessions: a new session id at login, the end after 30 idle minutes or 12 hours after
the login (both configurable), and no session at all for anonymous visitors."""

import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.staff_access import LAST_SEEN, LOGIN_AT
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(username="editor"))
    return client


def age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def assert_sent_to_login(response, url):
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def test_the_session_id_changes_at_login(client):
    StaffFactory(username="editor")
    session = client.session
    session["seen_the_login_page"] = True
    session.save()
    before = session.session_key
    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session["seen_the_login_page"]


def test_thirty_idle_minutes_end_the_session(staff_client):
    url = reverse("admin:index")
    age_session(staff_client, **{LAST_SEEN: 31 * 60})
    assert_sent_to_login(staff_client.get(url), url)
    assert "_auth_user_id" not in staff_client.session


def test_activity_keeps_the_session_alive(staff_client):
    url = reverse("admin:index")
    age_session(staff_client, **{LAST_SEEN: 29 * 60})
    assert staff_client.get(url).status_code == 200
    assert time.time() - staff_client.session[LAST_SEEN] < 5
    assert staff_client.get(url).status_code == 200


def test_twelve_hours_after_the_login_the_session_ends_however_busy(staff_client):
    url = reverse("admin:auth_user_changelist")
    age_session(staff_client, **{LOGIN_AT: 12 * 3600 + 1, LAST_SEEN: 10})
    assert_sent_to_login(staff_client.get(url), url)


def test_the_limits_are_configurable(staff_client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    age_session(staff_client, **{LAST_SEEN: 6 * 60})
    assert staff_client.get(reverse("admin:index")).status_code == 302


def test_an_expired_session_on_the_public_site_is_just_anonymous(staff_client):
    age_session(staff_client, **{LAST_SEEN: 31 * 60})
    assert staff_client.get("/").status_code == 200
    assert "_auth_user_id" not in staff_client.session


def test_an_expired_post_is_not_saved_and_leads_to_the_login(staff_client):
    url = reverse("admin:auth_group_add")
    age_session(staff_client, **{LAST_SEEN: 31 * 60})
    response = staff_client.post(url, {"name": "不该保存的组"})
    assert_sent_to_login(response, url)
    assert not Group.objects.filter(name="不该保存的组").exists()


def test_anonymous_visitors_get_no_session(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_the_session_cookie_lives_no_longer_than_the_session(settings):
    assert settings.SESSION_COOKIE_AGE == settings.STAFF_SESSION_MAX_HOURS * 3600
