"""Where the words of public articles are kept and looked up: PostgreSQL or SQLite.

Both keep three weighted fields, each the segmented words joined by spaces (``segment``):
the title (A), the summary, tags, school and brand names (B), the body text (C). A query
finds the articles holding every one of its words. The articles searched are always a
``published()`` queryset: the index may still hold a withdrawn article or hold a scheduled one
early, and neither is ever found.

Relevance ranking reads each match's stored words, so only the newest ``RANK_LIMIT`` matches
are ranked; a very common word matching more than that lists the older matches after them,
newest first (their rank would say little, and ranking them all costs a read of every one).
Matches are counted up to ``COUNT_LIMIT`` (then the page says “more than”): counting every
article a word in most of them matches would read them all too.

Beyond one database server (several districts, millions of articles), the index moves to a
search engine of its own — OpenSearch or Elasticsearch with a jieba or IK analyzer, or
Meilisearch — as one more ``Backend``: ``index``/``remove``/``clear``/``size`` talk to the
engine, ``matching`` returns ``articles.filter(pk__in=<the engine's keys>)`` so that the
visibility rules stay the querysets', and ``search`` takes the engine's ranking. Nothing
outside this module changes; ``backend()`` picks it from the settings.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Value
from django.db.models.expressions import RawSQL

RANK_LIMIT = 100
COUNT_LIMIT = 1000
FTS_TABLE = "news_search_fts"


class Backend:
    def index(self, article_pk, title, meta, body):
        raise NotImplementedError

    def remove(self, article_pk):
        raise NotImplementedError

    def clear(self):
        raise NotImplementedError

    def size(self):
        """How many articles the index holds."""
        raise NotImplementedError

    def tidy(self):
        """After a rebuild: let the database plan with the new index."""

    def matching(self, articles, words):
        """``articles`` narrowed to those holding every one of ``words``."""
        raise NotImplementedError

    def rank(self, words):
        """An expression over an article row: higher is more relevant."""
        raise NotImplementedError

    def search(self, words, articles, *, newest=False, offset=0, limit=20):
        """(pks of the articles in ``offset:offset + limit``, number of matches up to
        ``COUNT_LIMIT + 1``: more than ``COUNT_LIMIT`` when it is that)."""
        from news.models import Article

        matched = self.matching(articles, words).order_by()
        # The keys of the matches, in no order, up to one past COUNT_LIMIT: their number too.
        keys = list(matched.values_list("pk", flat=True)[: COUNT_LIMIT + 1])
        total = len(keys)
        if not total:
            return [], 0
        if total <= COUNT_LIMIT:
            # Few enough to hold: ordered by date from their keys. Asked for in date order at
            # once, PostgreSQL may walk every article newest first looking for the few that
            # match (measured: a second at 100,000 articles).
            matched = Article.objects.filter(pk__in=keys)
        by_date = matched.order_by("-publish_at", "-pk").values_list("pk", flat=True)
        if newest:
            return list(by_date[offset : offset + limit]), total
        pks = []
        if offset < RANK_LIMIT:
            candidates = by_date[:RANK_LIMIT].values("pk")
            ranked = (
                Article.objects.filter(pk__in=candidates)
                .annotate(rank=self.rank(words))
                .order_by("-rank", "-publish_at", "-pk")
                .values_list("pk", flat=True)
            )
            pks = list(ranked[offset : min(offset + limit, RANK_LIMIT)])
        if len(pks) < limit and total > RANK_LIMIT:
            pks += list(by_date[max(offset, RANK_LIMIT) : offset + limit])
        return pks, total


class PostgresBackend(Backend):
    """A ``SearchVectorField`` (``simple`` configuration: the words are already cut) with a
    GIN index, in ``news.SearchDocument``."""

    def index(self, article_pk, title, meta, body):
        from news.models import SearchDocument

        vector = (
            SearchVector(Value(title), weight="A", config="simple")
            + SearchVector(Value(meta), weight="B", config="simple")
            + SearchVector(Value(body), weight="C", config="simple")
        )
        SearchDocument.objects.update_or_create(article_id=article_pk, defaults={"vector": vector})

    def remove(self, article_pk):
        from news.models import SearchDocument

        SearchDocument.objects.filter(article_id=article_pk).delete()

    def clear(self):
        from news.models import SearchDocument

        SearchDocument.objects.all().delete()

    def size(self):
        from news.models import SearchDocument

        return SearchDocument.objects.count()

    def tidy(self):
        # Merges GIN's list of pending entries (the rebuild's rows) into the index and gives the
        # planner the words' frequencies: before it, a query for a rare word read every row.
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('news_search_vector')")
            cursor.execute("ANALYZE news_searchdocument")

    def _query(self, words):
        # plainto_tsquery: the words ANDed, and no query syntax a reader could break.
        return SearchQuery(" ".join(words), search_type="plain", config="simple")

    def matching(self, articles, words):
        return articles.filter(search_document__vector=self._query(words))

    def rank(self, words):
        return SearchRank(F("search_document__vector"), self._query(words))


class SqliteBackend(Backend):
    """An FTS5 table (made by migration 0011 on SQLite only), rowid = the article's pk."""

    # bm25's column weights, in the proportions of PostgreSQL's default A/B/C weights.
    WEIGHTS = "1.0, 0.4, 0.2"

    def index(self, article_pk, title, meta, body):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_pk])
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, meta, body) VALUES (%s, %s, %s, %s)",
                [article_pk, title, meta, body],
            )

    def remove(self, article_pk):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_pk])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def size(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
            return cursor.fetchone()[0]

    def tidy(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

    @staticmethod
    def _match(words):
        # Each word a quoted string (words hold no quotes), so nothing is read as FTS syntax.
        return " AND ".join(f'"{word}"' for word in words)

    def matching(self, articles, words):
        rows = RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [self._match(words)]
        )
        return articles.filter(pk__in=rows)

    def rank(self, words):
        from news.models import Article

        # bm25 is lower for better matches.
        return RawSQL(
            f"(SELECT -bm25({FTS_TABLE}, {self.WEIGHTS}) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid = {Article._meta.db_table}.id)",
            [self._match(words)],
        )


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
