"""Failed staff logins: five in a row lock that user name from that address (django-axes) for
the cool-off, with a Chinese page and an audit entry; a 管理员 unlocks in the admin."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from portal.models import AuditLogEntry
from tests.factories import RoleUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ADDRESS = "203.0.113.7"


def login(client, username, password, ip=ADDRESS):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def fail_five_times(client, username="editor", ip=ADDRESS):
    for _ in range(5):
        response = login(client, username, "wrong-password", ip=ip)
    return response


@pytest.fixture
def editor(db):
    return StaffFactory(username="editor")


def test_five_failures_lock_the_user_from_that_address(client, editor):
    for _ in range(4):
        assert login(client, "editor", "wrong-password").status_code == 200
    locked = login(client, "editor", "wrong-password")
    assert locked.status_code == 429
    assert "登录已被暂时锁定" in locked.content.decode()
    # The sixth attempt, with the right password, is refused too.
    response = login(client, "editor", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "连续 5 次登录失败" in html and "30 分钟" in html
    assert "党建新闻门户管理后台" in html and "Django" not in html
    assert "_auth_user_id" not in client.session


def test_the_same_user_from_another_address_is_not_locked(client, editor):
    fail_five_times(client)
    assert login(client, "editor", PASSWORD, ip="198.51.100.9").status_code == 302


def test_another_user_from_the_same_address_is_not_locked(client, editor):
    StaffFactory(username="reviewer")
    fail_five_times(client)
    assert login(client, "reviewer", PASSWORD).status_code == 302


def test_the_lockout_is_recorded_in_the_audit_log(client, editor):
    fail_five_times(client)
    [entry] = AuditLogEntry.objects.filter(action="login_locked")
    assert entry.actor_username == "editor"
    assert entry.ip_address == ADDRESS
    assert "连续 5 次登录失败" in entry.comment


def test_the_lockout_takes_the_address_as_the_audit_log_does(client, editor, settings):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    for _ in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong-password"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="192.0.2.50",
        )
    assert AccessAttempt.objects.get().ip_address == "192.0.2.50"


def test_a_site_manager_unlocks_in_the_admin_and_the_login_works(client, editor):
    fail_five_times(client)
    attempt = AccessAttempt.objects.get(username="editor")

    manager = RoleUserFactory(username="manager", roles=["管理员"])
    client.force_login(manager)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    assert "editor" in changelist.content.decode()
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()

    assert login(client, "editor", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_successful_login_resets_the_count(client, editor):
    for _ in range(4):
        login(client, "editor", "wrong-password")
    assert login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert login(client, "editor", "wrong-password").status_code == 200
