"""Chinese full-text search of public articles.

``segment`` cuts text into words (jieba, with the domain terms of ``terms.txt``), ``backends``
keeps them in PostgreSQL or SQLite, ``highlight`` marks matches in results. The index follows
every change of an article after its transaction commits (``connect_signals``), and
``manage.py reindex_search`` rebuilds it.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .backends import COUNT_LIMIT, backend
from .segment import names_changed, query_words, words


def document(article):
    """(title, summary/tags/schools/brand, body) of ``article``, each as space-separated words:
    always the article's own public fields, never a change waiting for review."""
    return cut_document(document_texts(article))


def document_texts(article):
    """The texts ``document`` cuts into words; tags and schools from their prefetched rows
    when the query prefetched them (``reindex_search``)."""
    from news.models import plain_text_from_html

    names = [tag.name for tag in article.tags.all()]
    for school in article.schools.all():
        names += [school.name, school.short_name]
    if article.brand_id:
        names.append(article.brand.name)
    meta = " ".join([article.kicker, article.subtitle, article.summary, *names])
    return (article.title, meta, plain_text_from_html(article.body))


def cut_document(texts):
    """Each of ``texts`` as space-separated words."""
    return tuple(" ".join(words(text)) for text in texts)


def cut_item(item):
    """``(pk, texts)`` → ``(pk, words)``: the work of a ``reindex_search`` worker process."""
    pk, texts = item
    return pk, cut_document(texts)


def index(article):
    """Keep ``article`` in the index if it is published (scheduled ones too: searches filter by
    ``published()``, so it is found the moment its time comes), otherwise take it out."""
    from news.models import ArticleStatus

    if article.status == ArticleStatus.PUBLISHED:
        backend().index(article.pk, *document(article))
    else:
        remove(article.pk)


def remove(article_pk):
    backend().remove(article_pk)


def sync(article_pk):
    from news.models import Article

    article = Article.objects.select_related("brand").filter(pk=article_pk).first()
    if article is None:
        remove(article_pk)
    else:
        index(article)


def _later(article_pk):
    transaction.on_commit(partial(sync, article_pk))


def _article_saved(sender, instance, **kwargs):
    _later(instance.pk)


def _tag_link_changed(sender, instance, **kwargs):
    _later(instance.content_object_id)


def _schools_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        _later(instance.pk)
    else:
        for article_pk in pk_set or instance.articles.values_list("pk", flat=True):
            _later(article_pk)


# The fields of a school, brand or tag that articles' documents hold.
_NAME_FIELDS = {"School": ("name", "short_name"), "Brand": ("name",), "Tag": ("name",)}


def _names(instance):
    return tuple(getattr(instance, field) for field in _NAME_FIELDS[type(instance).__name__])


def _remember_names(sender, instance, raw=False, **kwargs):
    """Before a school, brand or tag is saved: its names as stored, to tell a rename."""
    if instance.pk and not raw:
        stored = sender._default_manager.filter(pk=instance.pk).first()
        instance._search_stored_names = _names(stored) if stored else None


def _names_saved(sender, instance, **kwargs):
    transaction.on_commit(names_changed)
    if sender.__name__ not in _NAME_FIELDS or kwargs.get("signal") is post_delete:
        return
    stored = getattr(instance, "_search_stored_names", None)
    if stored is not None and stored != _names(instance):
        for article_pk in _articles_naming(instance):
            _later(article_pk)


def _articles_naming(instance):
    """The published articles whose documents hold ``instance``'s names."""
    from news.models import Article, ArticleStatus

    link = {"School": "schools", "Brand": "brand", "Tag": "tagged_items__tag"}
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    return articles.filter(**{link[type(instance).__name__]: instance}).values_list("pk", flat=True)


def _term_saved(sender, instance, **kwargs):
    """A dictionary term was added, changed or removed: the articles holding it are cut into
    words again. They are found through the index itself, by the words the term was cut into
    until now (which every article holding the term holds)."""
    from news.models import Article

    before = query_words(instance.term)

    def later():
        names_changed()
        holding = backend().matching(Article.objects.all(), before)
        for article_pk in holding.values_list("pk", flat=True):
            sync(article_pk)

    transaction.on_commit(later)


def connect_signals():
    from taggit.models import Tag

    from brands.models import Brand, School
    from news.models import Article, Channel, SearchTerm, TaggedArticle

    uid = "news.search"
    post_save.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}.article_saved")
    post_delete.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}.article_deleted")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_tag_link_changed, sender=TaggedArticle, dispatch_uid=f"{uid}.tags.{name}")
        for model in (School, Brand, Channel, Tag):
            signal.connect(
                _names_saved, sender=model, dispatch_uid=f"{uid}.{model.__name__}.{name}"
            )
    for model in (School, Brand, Tag):
        pre_save.connect(_remember_names, sender=model, dispatch_uid=f"{uid}.{model.__name__}.pre")
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_term_saved, sender=SearchTerm, dispatch_uid=f"{uid}.term.{name}")
    m2m_changed.connect(
        _schools_changed, sender=Article.schools.through, dispatch_uid=f"{uid}.schools"
    )


PER_PAGE = 20


class _Total:
    """What a Paginator needs of a list it never reads: its length."""

    def __init__(self, total):
        self.total = total

    def count(self):
        return self.total


def results_page(query, articles, *, newest=False, number=1):
    """One page of results: a ``Page`` of articles, each with ``marked_title`` and
    ``marked_snippet`` (matches in ``<mark>``, the text escaped). A page past the last is the
    last page."""
    from django.core.paginator import Page, Paginator

    from news.models import Article, plain_text_from_html

    from .highlight import highlight, snippet

    wanted = query_words(query)

    def find(number):
        if not wanted:
            return [], 0
        return backend().search(
            wanted, articles, newest=newest, offset=(number - 1) * PER_PAGE, limit=PER_PAGE
        )

    pks, total = find(number)
    paginator = Paginator(_Total(min(total, COUNT_LIMIT)), PER_PAGE)
    if number > paginator.num_pages:
        number = paginator.num_pages
        pks, total = find(number)
    rows = Article.objects.select_related("channel").in_bulk(pks)
    found = [rows[pk] for pk in pks if pk in rows]
    for article in found:
        article.marked_title = highlight(article.title, wanted)
        text = plain_text_from_html(article.body) or article.excerpt
        article.marked_snippet = snippet(text, wanted)
    page = Page(found, number, paginator)
    # The count stops at COUNT_LIMIT: “1000 多篇”.
    page.more = total > COUNT_LIMIT
    return page
