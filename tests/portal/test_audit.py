"""What the audit log records: logins, logouts, user, group and permission changes, admin
deletions, and the record() function every app calls."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from portal import audit
from portal.models import AuditAction, AuditLogEntry
from tests.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def entries(action):
    return list(AuditLogEntry.objects.filter(action=action).order_by("pk"))


def admin_login(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def admin_client_with_ip(client):
    """A superuser logged in through the admin login form, from 198.51.100.20."""
    user = SuperuserFactory(username="chief")
    response = admin_login(client, "chief", PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    client.defaults["REMOTE_ADDR"] = "198.51.100.20"
    client.user = user
    return client


# --- logins ----------------------------------------------------------------------------------


def test_successful_admin_login_is_recorded_with_ip(client):
    user = SuperuserFactory(username="zhangsan")

    response = admin_login(client, "zhangsan", PASSWORD)

    assert response.status_code == 302
    [entry] = entries(AuditAction.LOGIN)
    assert entry.actor == user
    assert entry.actor_username == "zhangsan"
    assert entry.ip_address == "203.0.113.7"


def test_failed_admin_login_records_the_attempted_name_but_never_the_password(client):
    SuperuserFactory(username="lisi")

    response = admin_login(client, "lisi", "wrong-password-123", ip="203.0.113.99")

    assert response.status_code == 200  # the form again, with an error
    assert not entries(AuditAction.LOGIN)
    [entry] = entries(AuditAction.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.actor_username == "lisi"
    assert entry.ip_address == "203.0.113.99"
    stored = " ".join(str(value) for value in AuditLogEntry.objects.values_list().get(pk=entry.pk))
    assert "wrong-password-123" not in stored


def test_failed_login_with_an_unknown_name_is_recorded(client):
    admin_login(client, "no-such-user", "whatever-123")

    [entry] = entries(AuditAction.LOGIN_FAILED)
    assert entry.actor_username == "no-such-user"


def test_logout_is_recorded(admin_client_with_ip):
    response = admin_client_with_ip.post(reverse("admin:logout"))

    assert response.status_code == 200
    [entry] = entries(AuditAction.LOGOUT)
    assert entry.actor == admin_client_with_ip.user
    assert entry.ip_address == "198.51.100.20"


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client, settings):
    UserFactory(username="wangwu", is_staff=True)
    settings.AUDIT_TRUST_X_FORWARDED_FOR = False

    admin_login(client, "wangwu", "bad-password-1", ip="10.0.0.1")
    client.post(
        reverse("admin:login"),
        {"username": "wangwu", "password": "bad-password-2"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    client.post(
        reverse("admin:login"),
        {"username": "wangwu", "password": "bad-password-3"},
        REMOTE_ADDR="10.0.0.1",
        # The client wrote the first address; our proxy appended the last one.
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50",
    )

    ips = [entry.ip_address for entry in entries(AuditAction.LOGIN_FAILED)]
    assert ips == ["10.0.0.1", "10.0.0.1", "203.0.113.50"]


def test_a_login_does_not_count_as_a_user_change(client):
    SuperuserFactory(username="zhaoliu")
    before = AuditLogEntry.objects.filter(action=AuditAction.USER_CHANGE).count()

    admin_login(client, "zhaoliu", PASSWORD)

    assert AuditLogEntry.objects.filter(action=AuditAction.USER_CHANGE).count() == before


# --- users, groups, permissions --------------------------------------------------------------


def test_creating_changing_and_deleting_a_user_is_recorded():
    user = UserFactory(username="xiaoming")
    [created] = entries(AuditAction.USER_CHANGE)
    assert created.object_repr == "xiaoming"
    assert "创建用户" in created.comment

    user.email = "xm@example.cn"
    user.set_password("a-new-secret-pass")
    user.save()
    changed = entries(AuditAction.USER_CHANGE)[-1]
    assert "密码已修改" in changed.comment
    assert "电子邮件地址" in changed.comment
    assert user.password not in changed.comment
    assert "a-new-secret-pass" not in changed.comment

    user_pk = user.pk
    user.delete()
    deleted = entries(AuditAction.USER_CHANGE)[-1]
    assert "删除用户 xiaoming" in deleted.comment
    assert deleted.object_id == str(user_pk)


def test_making_a_user_staff_is_a_permission_change():
    user = UserFactory(username="xiaohong")

    user.is_staff = True
    user.save()

    entry = entries(AuditAction.PERMISSION_CHANGE)[-1]
    assert entry.object_repr == "xiaohong"
    assert "否 → 是" in entry.comment


def test_group_membership_changes_through_the_admin_are_recorded(admin_client_with_ip):
    editors = Group.objects.get(name="编辑")  # an editorial role, created by a migration
    user = UserFactory(username="correspondent", email="c@example.cn")
    url = reverse("admin:auth_user_change", args=[user.pk])
    form = {
        "username": "correspondent",
        "first_name": "",
        "last_name": "",
        "email": "c@example.cn",
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(editors.pk)],
        "user_permissions": [],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
    }

    response = admin_client_with_ip.post(url, form)

    assert response.status_code == 302, response.context["adminform"].form.errors
    recent = AuditLogEntry.objects.filter(object_repr="correspondent").order_by("pk")
    comments = [entry.comment for entry in recent]
    assert any(comment == "加入用户组：编辑" for comment in comments)
    membership = recent.get(comment="加入用户组：编辑")
    assert membership.action == AuditAction.PERMISSION_CHANGE
    assert membership.actor == admin_client_with_ip.user
    assert membership.ip_address == "198.51.100.20"

    form["groups"] = []
    admin_client_with_ip.post(url, form)
    assert AuditLogEntry.objects.filter(
        object_repr="correspondent", comment="移出用户组：编辑"
    ).exists()


def test_group_creation_and_its_permissions_are_recorded(admin_client_with_ip):
    permission = Permission.objects.get(codename="view_auditlogentry")

    response = admin_client_with_ip.post(
        reverse("admin:auth_group_add"), {"name": "督查组", "permissions": [permission.pk]}
    )

    assert response.status_code == 302
    group_entries = AuditLogEntry.objects.filter(object_repr="督查组").order_by("pk")
    assert [entry.comment for entry in group_entries] == [
        "创建用户组 督查组",
        "授予权限：portal.view_auditlogentry",
    ]
    assert all(entry.actor == admin_client_with_ip.user for entry in group_entries)


def test_permissions_added_from_the_other_side_and_cleared_are_recorded():
    group = Group.objects.create(name="通讯员")
    user = UserFactory(username="tongxun")
    permission = Permission.objects.get(codename="view_auditlogentry")

    group.user_set.add(user)  # reverse side: recorded against the user
    user.user_permissions.add(permission)
    user.user_permissions.clear()

    comments = list(
        AuditLogEntry.objects.filter(
            action=AuditAction.PERMISSION_CHANGE, object_repr="tongxun"
        ).values_list("comment", flat=True)
    )
    assert "加入用户组：通讯员" in comments
    assert "授予权限：portal.view_auditlogentry" in comments
    assert "撤销权限：portal.view_auditlogentry" in comments


# --- deletions in the admin ------------------------------------------------------------------


def test_deleting_an_object_in_the_admin_is_recorded(admin_client_with_ip):
    group = Group.objects.create(name="临时组")

    response = admin_client_with_ip.post(
        reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    [entry] = entries(AuditAction.DELETE)
    assert entry.object_repr == "临时组"
    assert entry.object_id == str(group.pk)
    assert entry.content_type == ContentType.objects.get_for_model(Group)
    assert entry.actor == admin_client_with_ip.user
    assert entry.ip_address == "198.51.100.20"


def test_bulk_deleting_in_the_admin_records_every_object(admin_client_with_ip):
    groups = [Group.objects.create(name=f"批量组{n}") for n in range(3)]

    response = admin_client_with_ip.post(
        reverse("admin:auth_group_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [g.pk for g in groups],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Group.objects.filter(name__startswith="批量组").exists()
    deleted = entries(AuditAction.DELETE)
    assert sorted(entry.object_repr for entry in deleted) == ["批量组0", "批量组1", "批量组2"]
    assert all(entry.actor == admin_client_with_ip.user for entry in deleted)


def test_bulk_delete_confirmation_page_records_nothing(admin_client_with_ip):
    groups = [Group.objects.create(name=f"待删组{n}") for n in range(2)]

    response = admin_client_with_ip.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups]},
    )

    assert response.status_code == 200  # "are you sure?"
    assert Group.objects.filter(name__startswith="待删组").count() == 2
    assert not entries(AuditAction.DELETE)


# --- record() --------------------------------------------------------------------------------


def test_record_takes_actor_ip_and_object_from_its_arguments():
    user = UserFactory(username="reviewer")
    group = Group.objects.create(name="审核组")
    request = RequestFactory().post(reverse("admin:index"), REMOTE_ADDR="2001:db8::1")
    request.user = user

    entry = audit.record(
        AuditAction.TRANSITION,
        obj=group,
        request=request,
        from_state="草稿",
        to_state="待审核",
        comment="提交审核",
    )

    entry.refresh_from_db()
    assert entry.actor == user
    assert entry.actor_username == "reviewer"
    assert entry.ip_address == "2001:db8::1"
    assert entry.target == group
    assert (entry.from_state, entry.to_state, entry.comment) == ("草稿", "待审核", "提交审核")
    assert entry.get_action_display() == "状态流转"


def test_record_refuses_unknown_actions():
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record("approve_twice")
    assert not AuditLogEntry.objects.exists()


def test_apps_can_register_their_own_actions():
    audit.register_action("test_approve", "测试通过")
    try:
        entry = audit.record("test_approve", comment="一级审核")
        assert entry.get_action_display() == "测试通过"
        assert ("test_approve", "测试通过") in AuditLogEntry._meta.get_field("action").choices
    finally:
        from portal.models import _EXTRA_AUDIT_ACTIONS

        _EXTRA_AUDIT_ACTIONS.pop("test_approve", None)
    with pytest.raises(ValueError):
        audit.register_action("login", "重复")


def test_loading_serialized_data_records_nothing():
    """Fixtures and test-database snapshots are raw saves, m2m included: nobody changed them."""
    from django.core import serializers

    group = Group.objects.create(name="快照组")
    group.permissions.add(Permission.objects.get(codename="view_auditlogentry"))
    data = serializers.serialize("json", [group])
    group.delete()
    before = AuditLogEntry.objects.count()

    for deserialized in serializers.deserialize("json", data):
        deserialized.save()

    assert Group.objects.get(name="快照组").permissions.count() == 1
    assert AuditLogEntry.objects.count() == before
