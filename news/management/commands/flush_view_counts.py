"""Write the view counts gathered in the cache to the database now.

The beacon does this itself, at most every ``VIEW_COUNT_FLUSH_SECONDS``; run this from a timer so
浏览次数 and 点击排行 are current when few readers come, or before clearing the cache (the counts
not yet written live only there). See ``news.view_counts``.
"""

from django.core.management.base import BaseCommand

from news import view_counts


class Command(BaseCommand):
    help = "把缓存中累计的浏览次数立即写入数据库（文章浏览次数和每日浏览统计）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只统计缓存中等待写入的浏览次数，不写入。",
        )

    def handle(self, *args, dry_run, **options):
        if dry_run:
            self.stdout.write(f"试运行：缓存中有 {view_counts.pending()} 次浏览等待写入。")
            return
        written = view_counts.flush()
        if written is None:
            self.stdout.write(self.style.WARNING("另一个进程正在写入浏览次数，本次未写入。"))
            return
        self.stdout.write(self.style.SUCCESS(f"已写入 {written} 次浏览。"))
