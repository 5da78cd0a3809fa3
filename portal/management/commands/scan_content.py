"""Scan everything the public can see for what must not be public (``portal.gate.scan``).

    python manage.py scan_content            # report for people
    python manage.py scan_content --json     # for machines
    python manage.py scan_content --no-pages # the content only, no rendered pages

Exit status 1 when anything must not be public (a “禁止发布” finding), 0 otherwise, so that a
daily timer can raise the alarm.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from portal.gate import Level
from portal.gate.scan import scan

# Fewer objects than this are scanned without a progress bar.
PROGRESS_FROM = 20


class Command(BaseCommand):
    help = (
        "检查网站上所有公开的文章、学校、品牌、评选和荣誉及其页面：隐藏链接（暗链）、"
        "发布检查发现的问题、失效的站内链接、没有替代文字的图片。发现“禁止发布”的问题时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--no-pages", action="store_true", help="只检查内容，不渲染页面")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, json=False, no_pages=False, no_progress=False, **options):
        bars = []

        def progress(total):
            disable = no_progress or total < PROGRESS_FROM
            bar = tqdm(total=total, desc="检查", unit="个", disable=disable, file=self.stderr)
            bars.append(bar)
            return lambda obj: bar.update(1)

        try:
            report = scan(pages=not no_pages, progress=progress)
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(_as_json(report) if json else _as_text(report, self.style))
        if report.blocked:
            raise CommandError(
                f"发现 {report.count(Level.BLOCK)} 条“禁止发布”的问题，请立即处理。", returncode=1
            )


def _summary(report):
    return {
        "objects": report.objects,
        "pages": report.pages,
        "flagged": len(report.flagged),
        **{level.value: report.count(level) for level in Level},
    }


def _as_json(report):
    objects = [
        {
            "kind": obj.kind,
            "title": obj.title,
            "url": obj.url,
            "admin_url": obj.admin_url,
            "findings": [
                {
                    "level": finding.level.value,
                    "level_label": finding.level_label,
                    "kind": finding.kind,
                    "field": finding.field,
                    "matched": finding.matched,
                    "context": finding.context,
                    "message": finding.message,
                }
                for finding in obj.findings
            ],
        }
        for obj in report.flagged
    ]
    return json.dumps({"summary": _summary(report), "objects": objects}, ensure_ascii=False)


def _as_text(report, style):
    lines = []
    for obj in report.flagged:
        lines.append(style.MIGRATE_HEADING(f"【{obj.kind}】{obj.title}"))
        lines.append(f"  网址：{obj.url or '（没有单独的页面）'}  后台：{obj.admin_url}")
        for finding in obj.findings:
            colour = style.ERROR if finding.level == Level.BLOCK else style.WARNING
            lines.append(colour(f"  [{finding.level_label}] {finding.field}：{finding.message}"))
            lines.append(f"      内容：{finding.matched}")
            if finding.context:
                lines.append(f"      上下文：{finding.context}")
        lines.append("")
    summary = _summary(report)
    lines.append(
        f"共检查 {summary['objects']} 个公开对象、{summary['pages']} 个页面；"
        f"{summary['flagged']} 个有问题：禁止发布 {summary['block']} 条，"
        f"需审核员确认 {summary['confirm']} 条，提示 {summary['note']} 条。"
    )
    return "\n".join(lines)
