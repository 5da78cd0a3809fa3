"""Rebuild the search index from scratch: every published article (scheduled ones included,
as saving them does), nothing else. Run it after changing ``news/search/terms.txt`` or after
loading articles without signals (bulk imports); safe to run at any time.

Cutting text into words is most of the work, so it is shared by ``--jobs`` worker processes
(default: one per CPU); this process reads the articles (tags and schools prefetched) and
writes the index."""

import itertools
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from news import search
from news.models import Article, ArticleStatus
from news.search import cut_item
from news.search.segment import dictionary_names, pin_names

CHUNK = 200
# Articles handed to the workers at a time: Executor.map would read every article first.
BATCH = 2000


def _cut_in_batches(pool, texts):
    while batch := list(itertools.islice(texts, BATCH)):
        yield from pool.map(cut_item, batch, chunksize=CHUNK // 4)


class Command(BaseCommand):
    help = "重建全文检索索引（所有已发布文章）。修改词典 news/search/terms.txt 后请运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计要索引的文章数，不修改索引。"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="分词用的进程数（默认每个 CPU 一个）。",
        )

    def handle(self, *args, dry_run, jobs, **options):
        articles = (
            Article.objects.filter(status=ArticleStatus.PUBLISHED)
            .select_related("brand")
            .prefetch_related("tags", "schools")
        )
        total = articles.count()
        if dry_run:
            self.stdout.write(f"试运行：将索引 {total} 篇文章。")
            return
        texts = (
            (article.pk, search.document_texts(article))
            for article in articles.iterator(chunk_size=CHUNK)
        )
        backend = search.backend()
        # One transaction: searches see the old index until the new one is complete.
        with transaction.atomic():
            backend.clear()
            if jobs > 1:
                # Spawned, not forked: a forked worker would share this process's database
                # connection. The workers get this process's dictionary and need no database.
                with ProcessPoolExecutor(
                    jobs,
                    mp_context=get_context("spawn"),
                    initializer=pin_names,
                    initargs=(dictionary_names(),),
                ) as pool:
                    self._write(backend, _cut_in_batches(pool, texts), total)
            else:
                self._write(backend, map(cut_item, texts), total)
        backend.tidy()
        self.stdout.write(self.style.SUCCESS(f"已索引 {total} 篇文章。"))

    @staticmethod
    def _write(backend, cut, total):
        for pk, words in tqdm(cut, total=total, unit="篇"):
            backend.index(pk, *words)
