"""Fill a database with benchmark data: many articles, schools, brands and honours.

    python manage.py load_bench --articles 100000 --schools 500

Safe to run again: only what is missing is added. Refuses a database with content it did not
create (the demo district, a real site) unless ``--force``.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal import bench_data


class Command(BaseCommand):
    help = "载入性能测试数据（大量文章、学校、品牌和荣誉）；可以反复运行，只补齐缺少的部分。"

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000, help="文章总数")
        parser.add_argument("--schools", type=int, default=500, help="学校总数")
        parser.add_argument("--force", action="store_true", help="数据库里已有非测试内容时也继续")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, articles, schools, force, no_progress, **options):
        if articles < 0 or schools < 0:
            raise CommandError("数量不能为负数。")
        bars = []

        def progress(label, total):
            bar = tqdm(total=total, desc=label, unit="条", disable=no_progress, file=self.stderr)
            bars.append(bar)

            def advance(count):
                bar.update(count)
                if bar.n >= bar.total:
                    bar.close()

            return advance

        try:
            counts = bench_data.load(articles, schools, progress, force=force)
        except bench_data.NotBenchDatabase as error:
            raise CommandError(
                f"数据库里已有不是测试数据的内容（{error}）。请换一个空数据库，"
                "或加 --force 在现有内容旁边加入测试数据。"
            ) from error
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"测试数据已就绪：新增 {counts.schools} 所学校、{counts.articles} 篇文章。"
            )
        )
