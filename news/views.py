import time
from functools import partial
from typing import NamedTuple

import qrcode
import qrcode.image.svg
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView, MonthArchiveView, TemplateView
from taggit.models import Tag

from brands.models import Brand, School
from portal import page_cache
from portal.audit import client_ip
from portal.http_methods import SafeMethodsOnlyMixin, safe_methods_only
from portal.media import file_response
from portal.origins import is_foreign
from portal.pagination import KeysFirstPaginator
from portal.ratelimits import rate_limit

from . import search as search_index
from . import view_counts
from .channels import channel_tree
from .forms import SearchForm
from .models import Article, ArticleAttachment, ArticleStatus, PendingChange
from .search import log as search_log
from .templatetags.news_tags import count_hot_tags

# An address counts once per article in this many seconds.
VIEW_THROTTLE_SECONDS = 30 * 60
# Schools and brands shown above the articles of a search.
SEARCH_NAMES = 6


class ArticleListMixin(SafeMethodsOnlyMixin):
    """Shared by every public list: published articles only, 20 a page, numbered pages.

    ``?page=`` that is not a number or past the last page gives 404 (ListView's paginator).
    The number of articles and each page's rows come from the block cache, under the
    ``list_parts()`` that tell this list from the others; the query is built only when one of
    them is not there yet.
    """

    paginate_by = 20
    allow_empty = True
    context_object_name = "articles"

    def get_queryset(self):
        # Building a list's query took as long as the rest of a page rendered from kept blocks.
        return SimpleLazyObject(self.articles)

    def articles(self):
        """This list's articles, in its order."""
        return Article.objects.published().for_list_items()

    def list_parts(self):
        raise NotImplementedError

    def get_template_names(self):
        # ListView would add names made from the queryset's model, which builds the query.
        return [self.template_name]

    def get_paginator(self, queryset, per_page, **kwargs):
        return KeysFirstPaginator(queryset, per_page, parts=self.list_parts(), **kwargs)


class ChannelArticleList(ArticleListMixin, ListView):
    """A channel: pinned articles first, then the newest; ``?year=`` narrows to one year."""

    template_name = "news/channel.html"

    def get(self, request, *args, **kwargs):
        self.channel = channel_tree().get(kwargs["channel"])
        if self.channel is None:
            raise Http404("no such channel")
        self.year = year_filter(request.GET.get("year"))
        return super().get(request, *args, **kwargs)

    def articles(self):
        queryset = super().articles().in_channel(self.channel).pinned_first()
        if self.year:
            queryset = queryset.filter(publish_at__year=self.year)
        return queryset

    def list_parts(self):
        return ("channel", self.channel.pk, self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        top = self.channel.parent or self.channel
        context.update(
            channel=self.channel,
            top_channel=top,
            sub_channels=channel_tree().children(top),
            # Called by the template only when it renders the list, which it keeps.
            years=self.channel.published_years,
            year=self.year,
        )
        return context


def year_filter(value):
    """The ``?year=`` of a list: None for all years; 404 for anything but a year."""
    if value in (None, ""):
        return None
    if not value.isdigit() or not 1900 <= int(value) <= 9999:
        raise Http404("bad year")
    return int(value)


class AllArticleList(ArticleListMixin, ListView):
    """全部新闻: every published article of every channel, newest first; ``?year=`` narrows."""

    template_name = "news/all.html"

    def get(self, request, *args, **kwargs):
        self.year = year_filter(request.GET.get("year"))
        return super().get(request, *args, **kwargs)

    def articles(self):
        queryset = super().articles().order_by("-publish_at", "-pk")
        if self.year:
            queryset = queryset.filter(publish_at__year=self.year)
        return queryset

    def list_parts(self):
        return ("all", self.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            years=page_cache.cached("all_years", Article.objects.published().years),
            year=self.year,
            **kwargs,
        )


class TagArticleList(ArticleListMixin, ListView):
    template_name = "news/tag.html"

    def get(self, request, *args, **kwargs):
        slug = kwargs["tag"]
        self.tag = page_cache.cached("public_tag", partial(_public_tag, slug), slug)
        if self.tag is None:
            raise Http404("no such tag")
        return super().get(request, *args, **kwargs)

    def articles(self):
        return super().articles().filter(tags=self.tag).order_by("-publish_at", "-pk")

    def list_parts(self):
        return ("tag", self.tag.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def _public_tag(slug):
    """The tag of ``slug`` if a public article carries it (one that only unpublished articles
    carry does not exist for the public), else None."""
    carried = Exists(
        Article.objects.published().filter(tags=OuterRef("pk")).order_by().values("pk")
    )
    return Tag.objects.filter(carried, slug=slug).first()


class MonthArchive(ArticleListMixin, MonthArchiveView):
    template_name = "news/archive_month.html"
    date_field = "publish_at"
    month_format = "%m"
    allow_future = False
    allow_empty = False
    ordering = ["-publish_at", "-pk"]

    def list_parts(self):
        return ("month", self.get_year(), self.get_month())

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        # The list of days MonthArchiveView would compute is not shown: skip its query.
        return []

    # The neighbouring months that have articles come from the archive's cached month list
    # instead of a query each.
    def get_previous_month(self, date):
        earlier = [month for month in archive_months() if month < date]
        return max(earlier, default=None)

    def get_next_month(self, date):
        later = [month for month in archive_months() if month > date]
        return min(later, default=None)


def archive_months():
    """The first day of every month that has published articles, newest first (cached)."""
    return [timezone.localdate(row["month"]).replace(day=1) for row in _month_counts()]


def _month_counts():
    return page_cache.cached("archive_months", _count_months)


def _count_months():
    return list(
        Article.objects.published()
        .annotate(month=TruncMonth("publish_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )


class ArchiveIndex(SafeMethodsOnlyMixin, TemplateView):
    """Every month that has articles, newest first, with how many."""

    template_name = "news/archive_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(months=_month_counts(), **kwargs)


def _visible_article(request, pk, queryset=None):
    """The article for this request: published ones for everyone; for staff, also the ones
    they may see in the admin (a school correspondent only their schools' drafts)."""
    if queryset is None:
        queryset = Article.objects.only("pk", "publish_at", "status")
    if request.user.is_authenticated:
        return get_object_or_404(queryset.previewable_by(request.user), pk=pk)
    return get_object_or_404(queryset.published(), pk=pk)


def _pending_preview(request, article):
    """Staff who may see the article in the admin preview its change waiting for review:
    the pending content is put on the (unsaved) article; returns the tags to show, or None."""
    user = request.user
    if not (user.is_authenticated and article.status == ArticleStatus.PUBLISHED):
        return None
    if not Article.objects.visible_to(user).filter(pk=article.pk).exists():
        return None
    change = PendingChange.objects.filter(article=article).first()
    if change is None:
        return None
    names = change.apply_to(article)
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    # A tag the change would create has no slug and no page yet: it is shown without a link.
    return [existing.get(name) or Tag(name=name) for name in names]


class ArticlePage(NamedTuple):
    """What an article's page shows besides the site's blocks."""

    article: Article
    tags: list
    schools: list
    attachments: list
    previous_article: Article | None
    next_article: Article | None
    related_articles: list


_WITH_PLACES = ("channel", "channel__parent", "brand")


@safe_methods_only
def article_detail(request, year, month, day, pk):
    if request.user.is_authenticated:
        page, pending_tags = _page_for_staff(request, pk)
    else:
        # The same for every reader of a public article until anything public changes: a
        # reader's request is one cache lookup, whether or not the page cache is on.
        page = page_cache.cached("article_page", partial(_public_article_page, pk), pk)
        pending_tags = None
    article = page.article
    canonical = article.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    preview = not article.is_public or pending_tags is not None
    context = {
        **page._asdict(),
        "preview": preview,
        "pending_change": pending_tags is not None,
        "tags": pending_tags if pending_tags is not None else page.tags,
        "canonical_url": request.build_absolute_uri(canonical),
    }
    response = render(request, "news/article.html", context)
    if preview:
        # Staff preview of an unpublished article: never stored by any cache.
        patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True)
        response["X-Robots-Tag"] = "noindex"
    return response


def _public_article_page(pk):
    article = get_object_or_404(Article.objects.select_related(*_WITH_PLACES).published(), pk=pk)
    return _page_of(article)


def _page_for_staff(request, pk):
    """The page of an article staff may see (a draft, a change waiting for review) built for
    this request, and the tags of the pending change it previews (None when it previews none)."""
    article = _visible_article(request, pk, Article.objects.select_related(*_WITH_PLACES))
    pending_tags = _pending_preview(request, article)
    return _page_of(article), pending_tags


def _page_of(article):
    tags, schools = article.tags_and_schools()
    previous_article, next_article = article.neighbours_in_channel()
    related = Article.objects.published().related_to(
        article, [tag.pk for tag in tags], [school.pk for school in schools]
    )
    return ArticlePage(
        article,
        tags,
        schools,
        list(article.attachments.all()),
        previous_article,
        next_article,
        list(related),
    )


@safe_methods_only
def article_redirect(request, pk, channel=None):
    """Short (``/news/123/``) and old (``/news/<channel>/123/``) addresses of an article."""
    if channel is not None and channel.isdigit():
        raise Http404("not an article address")
    article = _visible_article(request, pk)
    return redirect(article.get_absolute_url(), permanent=True)


@safe_methods_only
def attachment_download(request, pk):
    """An attachment of an article the reader may open, downloaded under its original name."""
    attachment = get_object_or_404(
        ArticleAttachment.objects.previewable_by(request.user).only(
            "file", "title", "original_name"
        ),
        pk=pk,
    )
    return file_response(attachment.file.name, download_name=attachment.download_name)


@never_cache
@csrf_exempt  # a cookie-less beacon: foreign origins are refused, addresses rate-limited
@require_POST
@rate_limit("view_beacon")
def count_view(request, pk):
    """The view-count beacon the article page sends after it has loaded.

    Counts once per client address per article in ``VIEW_THROTTLE_SECONDS`` (the shared cache
    remembers; without a cache nothing counts), never for staff, never for unpublished articles,
    never when another site sent it. The view is added in the cache; the database gets the sums
    at most every ``VIEW_COUNT_FLUSH_SECONDS`` (``news.view_counts``).
    """
    if is_foreign(request):
        raise PermissionDenied("view beacon from another site")
    if request.user.is_authenticated and request.user.is_staff:
        return HttpResponse(status=204)
    if not Article.objects.published().filter(pk=pk).exists():
        raise Http404("no such article")
    viewed_key = f"news:viewed:{pk}:{client_ip(request)}"
    if cache.add(viewed_key, 1, VIEW_THROTTLE_SECONDS):
        view_counts.record(pk)
    view_counts.maybe_flush()
    return HttpResponse(status=204)


@safe_methods_only
@cache_control(max_age=86400, public=True)
def article_qrcode(request, pk):
    """The WeChat share code: an SVG QR code of the article's address, made here."""
    article = get_object_or_404(Article.objects.published().only("pk", "publish_at"), pk=pk)
    code = qrcode.make(
        request.build_absolute_uri(article.get_absolute_url()),
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        border=2,
    )
    return HttpResponse(code.to_string(encoding="unicode"), content_type="image/svg+xml")


@rate_limit("search")
def search(request):
    """搜索: published articles holding every word of ``q``, filtered by channel, school and
    dates, with the schools and brands of that name above them.

    Without a query: 热门搜索 and the hot tags. Without results: advice and the newest articles.
    The number of results goes out in a header for the search log (``news.search.log``)."""
    started = time.perf_counter()
    form = SearchForm(request.GET)
    values = form.search_values()
    number = request.GET.get("page", "")
    # isdecimal, not isdigit: int() refuses digits such as "²".
    number = max(1, int(number)) if number.isdecimal() and len(number) <= 5 else 1
    page = search_index.results_page(
        values["q"], form.articles(), newest=values["sort"] == "newest", number=number
    )
    context = {"form": form, "query": values["q"], "page_obj": page, "articles": page.object_list}
    if not values["q"].strip():
        context["hot_tags"] = page_cache.cached("search_hot_tags", count_hot_tags)
        context["popular_searches"] = search_log.cached_popular()
    else:
        words = search_index.query_words(values["q"])
        if number == 1:
            context["schools"] = list(School.objects.matching(words)[:SEARCH_NAMES])
            context["brands"] = list(
                Brand.objects.matching(words).select_related("school")[:SEARCH_NAMES]
            )
        if not page.object_list:
            context["newest_articles"] = list(Article.objects.published().for_listing()[:10])
    context["seconds"] = time.perf_counter() - started
    response = render(request, "news/search.html", context)
    if values["q"].strip():
        response[search_log.RESULTS_HEADER] = str(page.paginator.count)  # at most COUNT_LIMIT
    return response
