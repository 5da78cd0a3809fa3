"""Write what every tally gathered in the cache to the database now: view counts and searches.

The requests do this themselves, each tally at most once per its interval
(``VIEW_COUNT_FLUSH_SECONDS``, ``SEARCH_LOG_FLUSH_SECONDS``); run this from a timer so
浏览次数, 点击排行 and 搜索记录 are current when few readers come, or before clearing the cache
(counts not yet written live only there). See ``portal.tallies``.
"""

from django.core.management.base import BaseCommand

from portal import tallies


class Command(BaseCommand):
    help = "把缓存中累计的浏览次数和搜索记录立即写入数据库。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只统计缓存中等待写入的数量，不写入。",
        )

    def handle(self, *args, dry_run, **options):
        for tally in tallies.registered():
            if dry_run:
                self.stdout.write(f"试运行：缓存中有 {tally.pending()} 次{tally.unit}等待写入。")
                continue
            written = tally.flush()
            if written is None:
                self.stdout.write(
                    self.style.WARNING(f"另一个进程正在写入{tally.verbose_name}，本次未写入。")
                )
            else:
                self.stdout.write(self.style.SUCCESS(f"已写入 {written} 次{tally.unit}。"))
