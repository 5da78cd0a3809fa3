"""Give pictures stored before the image pipeline the same treatment as new uploads.

Every picture field's file and every rich-text image under ``editor/`` is prepared in place
(``portal.images.clean_stored_pictures``): metadata removed, long edge capped, same name, so
pages and article bodies that link to it keep working; missing renditions are made. Pictures
already clean are left alone, so running it again changes nothing.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from portal.images import clean_stored_pictures


class Command(BaseCommand):
    help = "清理已上传的图片：去除 EXIF/GPS 等元数据、限制尺寸，并生成缺少的缩略图（原地保存）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改文件。")

    def handle(self, *args, dry_run, **options):
        result = clean_stored_pictures(
            dry_run=dry_run,
            progress=lambda pictures: tqdm(pictures, unit="张", file=self.stderr),
        )
        for name, message in result.failed:
            self.stderr.write(self.style.WARNING(f"{name}：{message}"))
        verb = "需要处理" if dry_run else "已处理"
        summary = (
            f"{'试运行：' if dry_run else ''}{verb} {result.changed} 张，"
            f"无需处理 {result.unchanged} 张，失败 {len(result.failed)} 张。"
        )
        self.stdout.write(
            self.style.WARNING(summary) if result.failed else self.style.SUCCESS(summary)
        )
