"""The audit log is append-only in code and in the admin, readable by the auditor, exportable."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.models import AuditAction, AuditLogEntry, AuditLogImmutableError
from tests.factories import (
    AuditLogEntryFactory,
    AuditorFactory,
    SiteSettingsFactory,
    StaffFactory,
    SuperuserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:portal_auditlogentry_changelist"
EXPORT = "admin:portal_auditlogentry_export"


def csv_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def entry():
    return AuditLogEntryFactory(
        action=AuditAction.PUBLISH, object_repr="青湾小学开展主题党日活动", comment="终审后发布"
    )


@pytest.fixture
def auditor_client(client):
    client.force_login(AuditorFactory(username="shenji"))
    return client


# --- append-only in code ---------------------------------------------------------------------


def test_a_saved_row_cannot_be_changed_or_deleted(entry):
    entry.comment = "篡改"
    with pytest.raises(AuditLogImmutableError):
        entry.save()
    with pytest.raises(AuditLogImmutableError):
        entry.delete()

    entry.refresh_from_db()
    assert entry.comment == "终审后发布"


def test_querysets_refuse_update_and_delete(entry):
    rows = AuditLogEntry.objects.filter(pk=entry.pk)
    with pytest.raises(AuditLogImmutableError):
        rows.update(comment="篡改")
    with pytest.raises(AuditLogImmutableError):
        rows.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditLogEntry.objects.all().delete()
    entry.comment = "篡改"
    with pytest.raises(AuditLogImmutableError):
        AuditLogEntry.objects.bulk_update([entry], ["comment"])

    assert AuditLogEntry.objects.get(pk=entry.pk).comment == "终审后发布"


def test_deleting_a_user_keeps_their_rows_and_name():
    user = UserFactory(username="leaver")
    row = AuditLogEntryFactory(actor=user, actor_username="leaver")

    user.delete()

    row = AuditLogEntry.objects.get(pk=row.pk)
    assert row.actor is None
    assert row.actor_username == "leaver"


# --- append-only in the admin, superusers included -------------------------------------------


def test_a_superuser_can_read_but_not_add_change_or_delete(admin_client, entry):
    change_url = reverse("admin:portal_auditlogentry_change", args=[entry.pk])

    assert admin_client.get(reverse(CHANGELIST)).status_code == 200
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert "终审后发布" in page.text
    assert 'name="_save"' not in page.text  # read-only: no save button
    assert admin_client.get(reverse("admin:portal_auditlogentry_add")).status_code == 403
    assert admin_client.post(change_url, {"comment": "篡改"}).status_code == 403
    delete_url = reverse("admin:portal_auditlogentry_delete", args=[entry.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403

    entry.refresh_from_db()
    assert entry.comment == "终审后发布"


def test_the_bulk_delete_action_is_not_offered_nor_accepted(admin_client, entry):
    changelist = admin_client.get(reverse(CHANGELIST))
    assert 'value="delete_selected"' not in changelist.text
    assert 'value="export_selected_csv"' in changelist.text

    admin_client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_no_add_change_or_delete_permission_exists_to_grant():
    codenames = set(Group.objects.get(name="审计员").permissions.values_list("codename", flat=True))
    assert codenames == {"view_auditlogentry"}
    from django.contrib.auth.models import Permission

    assert set(
        Permission.objects.filter(content_type__model="auditlogentry").values_list(
            "codename", flat=True
        )
    ) == {"view_auditlogentry"}


# --- the auditor -----------------------------------------------------------------------------


def test_auditor_can_view_filter_and_search(auditor_client, entry):
    AuditLogEntryFactory(action=AuditAction.LOGIN, actor_username="另一位登录者")

    everything = auditor_client.get(reverse(CHANGELIST))
    filtered = auditor_client.get(reverse(CHANGELIST), {"action__exact": "publish"})
    searched = auditor_client.get(reverse(CHANGELIST), {"q": "主题党日"})
    by_year = auditor_client.get(reverse(CHANGELIST), {"time__year": entry.time.year})

    assert everything.status_code == 200
    assert "青湾小学开展主题党日活动" in everything.text
    assert "另一位登录者" in everything.text
    assert "青湾小学开展主题党日活动" in filtered.text
    assert "另一位登录者" not in filtered.text
    assert "青湾小学开展主题党日活动" in searched.text
    assert "另一位登录者" not in searched.text
    assert by_year.status_code == 200
    detail = auditor_client.get(reverse("admin:portal_auditlogentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert "终审后发布" in detail.text


def test_auditor_can_search_by_ip(auditor_client):
    AuditLogEntryFactory(actor_username="from-a", ip_address="203.0.113.77")
    AuditLogEntryFactory(actor_username="from-b", ip_address="198.51.100.1")

    response = auditor_client.get(reverse(CHANGELIST), {"q": "203.0.113.77"})

    assert "from-a" in response.text
    assert "from-b" not in response.text


def test_auditor_gets_403_on_add_change_and_delete(auditor_client, entry):
    change_url = reverse("admin:portal_auditlogentry_change", args=[entry.pk])
    delete_url = reverse("admin:portal_auditlogentry_delete", args=[entry.pk])

    assert auditor_client.get(reverse("admin:portal_auditlogentry_add")).status_code == 403
    assert auditor_client.post(change_url, {"comment": "篡改"}).status_code == 403
    assert auditor_client.get(delete_url).status_code == 403
    assert auditor_client.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.comment == "终审后发布"


def test_auditor_sees_nothing_else(auditor_client):
    settings_row = SiteSettingsFactory()

    index = auditor_client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert "审计日志" in index.text
    assert auditor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert auditor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert (
        auditor_client.get(
            reverse("admin:portal_sitesettings_change", args=[settings_row.pk])
        ).status_code
        == 403
    )


def test_staff_without_the_view_permission_cannot_read_or_export(client, entry):
    client.force_login(StaffFactory(username="bianji"))

    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse(EXPORT)).status_code == 403
    assert (
        client.get(reverse("admin:portal_auditlogentry_change", args=[entry.pk])).status_code == 403
    )


def test_anonymous_export_goes_to_the_login_page(client, entry):
    response = client.get(reverse(EXPORT))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- CSV export ------------------------------------------------------------------------------


def test_export_streams_the_filtered_changelist_as_excel_friendly_csv(auditor_client, entry):
    AuditLogEntryFactory(action=AuditAction.LOGIN, actor_username="不应导出")

    response = auditor_client.get(reverse(EXPORT), {"action__exact": "publish"})

    text = csv_text(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [
        "时间",
        "操作人",
        "操作",
        "对象类型",
        "对象ID",
        "对象",
        "原状态",
        "新状态",
        "说明",
        "IP地址",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["操作"] == "发布"
    assert row["对象"] == "青湾小学开展主题党日活动"
    assert row["说明"] == "终审后发布"
    assert row["IP地址"] == "192.0.2.10"
    assert "不应导出" not in text


def test_export_follows_the_search_box(auditor_client, entry):
    AuditLogEntryFactory(comment="与搜索无关")

    text = csv_text(auditor_client.get(reverse(EXPORT), {"q": "主题党日"}))

    assert "青湾小学开展主题党日活动" in text
    assert "与搜索无关" not in text


def test_the_changelist_links_to_the_export_with_its_filters(auditor_client, entry):
    response = auditor_client.get(reverse(CHANGELIST), {"action__exact": "publish"})

    assert f'href="{reverse(EXPORT)}?action__exact=publish"' in response.text


def test_exported_cells_cannot_run_as_spreadsheet_formulas(auditor_client):
    AuditLogEntryFactory(action=AuditAction.LOGIN_FAILED, actor_username="=HYPERLINK(1)")

    text = csv_text(auditor_client.get(reverse(EXPORT), {"action__exact": "login_failed"}))

    assert "'=HYPERLINK(1)" in text


def test_an_export_is_itself_recorded(auditor_client, entry):
    csv_text(auditor_client.get(reverse(EXPORT), {"action__exact": "publish"}))

    logged = AuditLogEntry.objects.filter(action=AuditAction.OTHER, actor_username="shenji")
    assert logged.count() == 1
    assert "action__exact=publish" in logged.get().comment


def test_export_selected_rows_action(client, entry):
    client.force_login(SuperuserFactory(username="root"))
    other = AuditLogEntryFactory(comment="未选中的记录")

    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_selected_csv", "_selected_action": [entry.pk]},
    )

    text = csv_text(response)
    assert "终审后发布" in text
    assert other.comment not in text
