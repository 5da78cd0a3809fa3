"""Rebuild the search index from scratch: every published article (scheduled ones included,
as saving them does), nothing else. Run it after changing ``news/search/terms.txt`` or after
loading articles without signals (bulk imports); safe to run at any time."""

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from news import search
from news.models import Article, ArticleStatus


class Command(BaseCommand):
    help = "重建全文检索索引（所有已发布文章）。修改词典 news/search/terms.txt 后请运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计要索引的文章数，不修改索引。"
        )

    def handle(self, *args, dry_run, **options):
        articles = Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("brand")
        total = articles.count()
        if dry_run:
            self.stdout.write(f"试运行：将索引 {total} 篇文章。")
            return
        # One transaction: searches see the old index until the new one is complete.
        with transaction.atomic():
            search.backend().clear()
            for article in tqdm(articles.iterator(chunk_size=500), total=total, unit="篇"):
                search.index(article)
        self.stdout.write(self.style.SUCCESS(f"已索引 {total} 篇文章。"))
