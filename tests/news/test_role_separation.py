"""Who may change accounts, roles and permissions (news/roles.py): superusers are changed only by
superusers, nobody changes their own roles, the separated roles (管理员, 审核员, 审计员) are never
held together and are given only by a superuser, and every such change is in the audit log."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from news.models import ReviewerAssignment
from portal.models import AuditAction, AuditLogEntry
from tests.factories import RoleUserFactory, SuperuserFactory, UserFactory
from tests.page_forms import page_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Another-horse-staple-42"


def group(name):
    return Group.objects.get(name=name)


def roles_of(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def manager(client):
    user = RoleUserFactory(username="manager", roles=["管理员"])
    client.force_login(user)
    return user


@pytest.fixture
def chief(db):
    return SuperuserFactory(username="chief")


def user_url(user, view="change"):
    return reverse(f"admin:auth_user_{view}", args=[user.pk])


def post_user_form(client, user, **changes):
    return client.post(user_url(user), page_form_data(client.get(user_url(user)), **changes))


# --- superusers ------------------------------------------------------------------------------


def test_site_manager_cannot_reset_a_superusers_password(client, manager, chief):
    url = reverse("admin:auth_user_password_change", args=[chief.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    chief.refresh_from_db()
    assert chief.check_password(PASSWORD)


def test_site_manager_cannot_deactivate_or_change_a_superuser(client, manager, chief):
    page = client.get(user_url(chief))
    assert page.status_code == 200  # may look at the account
    assert "is_active" not in page.context["adminform"].form.fields
    response = client.post(
        user_url(chief), {"username": "chief", "is_staff": "on", "is_superuser": "on"}
    )
    assert response.status_code == 403
    chief.refresh_from_db()
    assert chief.is_active and chief.is_superuser


def test_site_manager_cannot_delete_a_superuser(client, manager, chief):
    assert client.post(user_url(chief, "delete"), {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [chief.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert type(chief).objects.filter(pk=chief.pk).exists()


def test_a_superuser_still_manages_superusers(client, chief):
    other = SuperuserFactory(username="deputy")
    client.force_login(chief)
    response = post_user_form(client, other, is_active="")
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_active


# --- own roles and permissions ---------------------------------------------------------------


def test_site_manager_cannot_add_themself_to_reviewers_or_auditors(client, manager):
    form = client.get(user_url(manager)).context["adminform"].form
    for field in ["groups", "user_permissions", "is_superuser", "is_staff", "is_active"]:
        assert field not in form.fields
    reviewers, auditors = group("审核员"), group("审计员")
    post_user_form(client, manager, groups=[str(reviewers.pk), str(auditors.pk)])
    assert roles_of(manager) == {"管理员"}


def test_nobody_changes_their_own_roles_not_even_a_superuser(client, chief):
    client.force_login(chief)
    response = post_user_form(
        client, chief, groups=[str(group("编辑").pk)], is_superuser="", first_name="总管"
    )
    assert response.status_code == 302
    chief.refresh_from_db()
    assert chief.is_superuser and roles_of(chief) == set() and chief.first_name == "总管"


def test_site_manager_cannot_give_their_own_group_permissions(client, manager):
    own = group("管理员")
    before = set(own.permissions.values_list("pk", flat=True))
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    url = reverse("admin:auth_group_change", args=[own.pk])
    response = client.post(url, {"name": "管理员", "permissions": everything})
    assert response.status_code == 403
    assert set(own.permissions.values_list("pk", flat=True)) == before
    # Nor any other group's, nor a new one's.
    custom = Group.objects.create(name="宣传组")
    page = client.get(reverse("admin:auth_group_change", args=[custom.pk]))
    assert "permissions" not in page.context["adminform"].form.fields
    client.post(reverse("admin:auth_group_add"), {"name": "全能组", "permissions": everything})
    assert not Permission.objects.filter(group__name__in=["宣传组", "全能组"]).exists()


def test_only_a_superuser_changes_a_groups_permissions(client, chief):
    client.force_login(chief)
    editors = group("编辑")
    permission = Permission.objects.get(codename="view_auditlogentry")
    page = client.get(reverse("admin:auth_group_change", args=[editors.pk]))
    data = page_form_data(page)
    data["permissions"] = [*data["permissions"], str(permission.pk)]
    response = client.post(reverse("admin:auth_group_change", args=[editors.pk]), data)
    assert response.status_code == 302
    assert editors.permissions.filter(pk=permission.pk).exists()


# --- the separated roles ---------------------------------------------------------------------


def test_site_manager_gives_editorial_roles_to_other_accounts(client, manager):
    person = UserFactory(username="person", is_staff=True)
    response = post_user_form(client, person, groups=[str(group("编辑").pk)])
    assert response.status_code == 302
    assert roles_of(person) == {"编辑"}
    response = client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("role", ["审核员", "审计员", "管理员"])
def test_site_manager_cannot_give_a_separated_role(client, manager, role):
    person = RoleUserFactory(username="person", roles=["编辑"])
    response = post_user_form(client, person, groups=[str(group("编辑").pk), str(group(role).pk)])
    assert response.status_code == 200
    assert "只有超级用户可以授予或撤销" in response.text
    assert roles_of(person) == {"编辑"}


@pytest.mark.parametrize("role", ["审核员", "审计员", "管理员"])
def test_site_manager_cannot_take_over_a_separated_role_account(client, manager, role):
    holder = RoleUserFactory(username="holder", roles=[role])
    url = reverse("admin:auth_user_password_change", args=[holder.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 403
    assert client.post(user_url(holder), {"username": "holder"}).status_code == 403
    holder.refresh_from_db()
    assert holder.check_password(PASSWORD) and holder.is_active


def test_site_manager_cannot_make_a_reviewer_account_for_themself(client, manager):
    """The three-reviewers attack: a new account, its password known to the 管理员, made a
    reviewer and given a level."""
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "puppet", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
         "usable_password": "true"},
    )  # fmt: skip
    assert response.status_code == 302
    puppet = type(manager).objects.get(username="puppet")
    post_user_form(client, puppet, is_staff="on", groups=[str(group("审核员").pk)])
    assert roles_of(puppet) == set()
    response = client.post(
        reverse("admin:news_reviewerassignment_add"), {"user": puppet.pk, "level": 1}
    )
    assert response.status_code == 200
    assert not ReviewerAssignment.objects.exists()
    creation = AuditLogEntry.objects.get(comment__startswith="创建用户 puppet")
    assert creation.actor == manager


def test_superuser_cannot_make_a_site_manager_a_reviewer(client, chief, manager):
    client.force_login(chief)
    response = post_user_form(
        client, manager, groups=[str(group("管理员").pk), str(group("审核员").pk)]
    )
    assert response.status_code == 200
    assert "三员分立" in response.text
    assert roles_of(manager) == {"管理员"}


def test_separated_roles_cannot_be_combined_by_a_script_either(manager):
    both = UserFactory(username="both")
    attempts = [
        lambda: manager.groups.add(group("审核员")),
        lambda: group("审计员").user_set.add(manager),
        lambda: both.groups.set([group("审核员"), group("审计员")]),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
            attempt()
    assert roles_of(both) == set()
    assert roles_of(manager) == {"管理员"}
    manager.groups.set([group("审计员")])  # a change of role, not a second one
    assert roles_of(manager) == {"审计员"}


def test_reviewer_levels_only_for_members_of_the_reviewers(client, manager):
    editor = RoleUserFactory(username="editor", roles=["编辑"])
    reviewer = RoleUserFactory(username="reviewer", roles=["审核员"])
    response = client.post(
        reverse("admin:news_reviewerassignment_add"), {"user": editor.pk, "level": 1}
    )
    assert response.status_code == 200
    assert "只能分配给“审核员”用户组的成员" in response.text
    response = client.post(
        reverse("admin:news_reviewerassignment_add"), {"user": reviewer.pk, "level": 1}
    )
    assert response.status_code == 302
    assert ReviewerAssignment.objects.get().user == reviewer


# --- the audit log ---------------------------------------------------------------------------


def test_role_changes_name_who_whom_and_what(client, chief):
    person = RoleUserFactory(username="person", roles=["编辑"])
    client.force_login(chief)
    earlier = list(AuditLogEntry.objects.values_list("pk", flat=True))
    post_user_form(client, person, groups=[str(group("审核员").pk)])
    entries = AuditLogEntry.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, object_repr="person"
    ).exclude(pk__in=earlier)
    comments = set(entries.values_list("comment", flat=True))
    assert {"加入用户组：审核员", "移出用户组：编辑"} <= comments
    assert {entry.actor for entry in entries} == {chief}


def test_reviewer_level_changes_are_audited(client, manager):
    reviewer = RoleUserFactory(username="reviewer", roles=["审核员"])
    client.post(reverse("admin:news_reviewerassignment_add"), {"user": reviewer.pk, "level": 2})
    assignment = ReviewerAssignment.objects.get()
    client.post(
        reverse("admin:news_reviewerassignment_change", args=[assignment.pk]),
        {"user": reviewer.pk, "level": 3},
    )
    client.post(
        reverse("admin:news_reviewerassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    entries = AuditLogEntry.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, object_repr="reviewer", comment__contains="审核级别"
    ).order_by("pk")
    assert [entry.comment for entry in entries] == [
        "授予审核级别：第2级",
        "撤销审核级别：第2级",
        "授予审核级别：第3级",
        "撤销审核级别：第3级",
    ]
    assert {entry.actor for entry in entries} == {manager}
