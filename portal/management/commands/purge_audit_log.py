"""Delete audit log rows older than the retention period.

Logs are kept at least 366 days (the portal's rule; the Cybersecurity Law asks for six months),
so the command refuses any shorter period. It is the only way rows ever leave the audit log, and
it leaves a row itself saying what it removed.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from portal import audit
from portal.models import AuditAction, AuditLogEntry

MINIMUM_RETENTION_DAYS = 366


class Command(BaseCommand):
    help = "删除早于保留期限的审计日志（保留期限不少于 366 天）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            required=True,
            help=f"保留最近多少天的日志，不得少于 {MINIMUM_RETENTION_DAYS} 天。",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只统计将被删除的条数，不删除。",
        )

    def handle(self, *args, days, dry_run, **options):
        if days < MINIMUM_RETENTION_DAYS:
            raise CommandError(
                f"拒绝执行：审计日志至少保留 {MINIMUM_RETENTION_DAYS} 天，"
                f"--days {days} 过短，未删除任何记录。"
            )
        cutoff = timezone.now() - timedelta(days=days)
        cutoff_text = timezone.localtime(cutoff).strftime("%Y-%m-%d %H:%M:%S")
        old = AuditLogEntry.objects.filter(time__lt=cutoff)
        count = old.count()
        total = AuditLogEntry.objects.count()
        if dry_run:
            self.stdout.write(
                f"试运行：共 {total} 条审计日志，早于 {cutoff_text} 的 {count} 条将被删除。"
            )
            return
        with transaction.atomic():
            deleted, _per_model = AuditLogEntry.objects.all()._purge_older_than(cutoff)
            if deleted:
                audit.record(
                    AuditAction.DELETE,
                    comment=(
                        f"清理审计日志：删除早于 {cutoff_text} 的 {deleted} 条记录"
                        f"（保留 {days} 天）"
                    ),
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"已删除早于 {cutoff_text} 的审计日志 {deleted} 条，保留 {total - deleted} 条。"
            )
        )
