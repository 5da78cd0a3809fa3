"""purge_audit_log keeps at least 366 days and deletes only older rows; the auditor group."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from portal.management.commands.purge_audit_log import Command
from portal.models import AuditLogEntry
from tests.factories import AuditLogEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    now = timezone.now()
    return {
        "old": AuditLogEntryFactory(time=now - timedelta(days=400), comment="四百天前"),
        "year": AuditLogEntryFactory(time=now - timedelta(days=300), comment="三百天前"),
        "new": AuditLogEntryFactory(time=now - timedelta(hours=1), comment="刚才"),
    }


@pytest.mark.parametrize("days", ["0", "30", "365"])
def test_purge_refuses_a_retention_shorter_than_366_days(rows, days):
    with pytest.raises(CommandError, match="至少保留 366 天"):
        call_command("purge_audit_log", "--days", days)

    assert AuditLogEntry.objects.count() == 3


def test_the_refusal_exits_non_zero_from_the_command_line(rows, capsys):
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "purge_audit_log", "--days", "100"])

    assert exited.value.code != 0
    assert "至少保留 366 天" in capsys.readouterr().err


def test_dry_run_counts_and_deletes_nothing(rows):
    out = StringIO()

    call_command("purge_audit_log", "--days", "366", "--dry-run", stdout=out)

    assert "1 条将被删除" in out.getvalue()
    assert AuditLogEntry.objects.count() == 3


def test_purge_deletes_only_rows_older_than_the_retention(rows):
    out = StringIO()

    call_command("purge_audit_log", "--days", "366", stdout=out)

    remaining = set(AuditLogEntry.objects.values_list("comment", flat=True))
    assert "四百天前" not in remaining
    assert {"三百天前", "刚才"} <= remaining
    assert "已删除" in out.getvalue()
    assert "1 条" in out.getvalue()
    # The purge leaves its own trace.
    purge = AuditLogEntry.objects.latest()
    assert purge.action == "delete"
    assert "清理审计日志" in purge.comment


def test_a_longer_retention_keeps_more(rows):
    call_command("purge_audit_log", "--days", "500", stdout=StringIO())

    assert AuditLogEntry.objects.filter(comment="四百天前").exists()


def test_the_migration_creates_the_auditor_group_with_only_the_view_permission():
    group = Group.objects.get(name="审计员")

    assert [
        (p.content_type.app_label, p.codename)
        for p in group.permissions.select_related("content_type")
    ] == [("portal", "view_auditlogentry")]
