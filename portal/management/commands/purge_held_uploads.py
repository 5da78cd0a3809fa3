"""Delete held uploads (``portal.held_uploads``) that no form may use any more.

A file chosen on a refused form is held under ``MEDIA_ROOT/tmp/held/`` until the form is saved
or its reference expires; expired ones are also removed whenever a new file is held, so this
command only tidies up after quiet periods (run it daily from cron).
"""

from django.core.management.base import BaseCommand

from portal import held_uploads


class Command(BaseCommand):
    help = "删除已过期的暂存上传文件（表单出错时为用户保留的文件）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除。")

    def handle(self, *args, dry_run, **options):
        if dry_run:
            count = len(held_uploads.expired_names())
            self.stdout.write(f"试运行：{count} 个已过期的暂存文件将被删除。")
            return
        count = held_uploads.purge_expired()
        self.stdout.write(self.style.SUCCESS(f"已删除 {count} 个已过期的暂存文件。"))
