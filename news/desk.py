"""The desk on the admin home: each user's own work, above the list of apps.

待我审核 (what waits at a level the user decides at, oldest first), 待审核的学校和品牌资料
(the same for changes to schools' profiles and brands, ``workflow.profiles``), 我的退回稿件
(what a reviewer sent back to them, with the comment), 我的草稿 and 已定时发布. Which articles
a panel holds is a method of ``ArticleQuerySet`` (待我审核: ``workflow.review_queue``), the
same one the changelist's 我的工作 filter uses, so the "全部 N 篇" link lists exactly what the
panel counted. A panel the user's role has no use for is left out. The queries are the same
few whatever the number of articles.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import Article, ArticleStatus, ArticleTransition, ProfileChange
from .workflow import profiles

PANEL_SIZE = 10


@dataclass
class Row:
    article: Article
    level_name: str = ""
    is_change: bool = False  # a pending change of a published article, not the article
    rejection: ArticleTransition | None = None


@dataclass
class Panel:
    work: str  # the value of the changelist's 我的工作 filter listing the same articles
    title: str
    empty: str
    count: int = 0
    rows: list[Row] = field(default_factory=list)

    @property
    def changelist_url(self):
        return f"{reverse('admin:news_article_changelist')}?work={self.work}"


@dataclass
class ProfileRow:
    change: ProfileChange
    level_name: str

    @property
    def review_url(self):
        opts = self.change.subject._meta
        name = f"admin:{opts.app_label}_{opts.model_name}_review"
        return reverse(name, args=[self.change.subject.pk])


@dataclass
class ProfilePanel:
    """待审核的学校和品牌资料: changes to schools' profiles and brands waiting for the user."""

    work = "profiles"
    title = _("待审核的学校和品牌资料")
    empty = _("暂无待审核的资料。")
    count: int = 0
    rows: list[ProfileRow] = field(default_factory=list)


def panels(user):
    """The panels ``user`` sees, in the order they are shown."""
    articles = Article.objects.visible_to(user).defer("body")
    found = []
    if user.has_perm("news.approve_article") and workflow.reviewer_levels(user):
        found += [_waiting(articles, user), _profiles_waiting(user)]
    if user.has_perm("news.add_article"):
        found += [_rejected(articles, user), _drafts(articles, user)]
    if user.has_perm("news.view_article") or user.has_perm("news.change_article"):
        found.append(_scheduled(articles))
    return found


def _first_rows(panel, queryset):
    panel.count = queryset.count()
    return list(queryset[:PANEL_SIZE])


def _waiting(articles, user):
    panel = Panel("review", _("待我审核"), _("暂无待审核的稿件。"))
    waiting = (
        workflow.review_queue(user, articles)
        .select_related("created_by", "pending_change")
        .prefetch_related("schools")
    )
    for article in _first_rows(panel, waiting):
        subject = workflow.review_subject(article)
        panel.rows.append(
            Row(
                article,
                level_name=workflow.level_name(subject.review_level, subject.review_levels),
                is_change=subject is not article,
            )
        )
    return panel


def _profiles_waiting(user):
    panel = ProfilePanel()
    waiting = profiles.awaiting_review(user).select_related("school", "brand__school", "created_by")
    panel.count = waiting.count()
    panel.rows = [
        ProfileRow(change, workflow.level_name(change.review_level, change.review_levels))
        for change in waiting[:PANEL_SIZE]
    ]
    return panel


def _rejected(articles, user):
    panel = Panel("rejected", _("我的退回稿件"), _("暂无退回的稿件。"))
    rejected = (
        articles.rejected_back_to(user)
        .with_rejection_id()
        .select_related("pending_change")
        .order_by("-updated_at", "-pk")
    )
    found = _first_rows(panel, rejected)
    ids = [article.rejection_id for article in found if article.rejection_id]
    rejections = ArticleTransition.objects.select_related("actor").in_bulk(ids) if ids else {}
    for article in found:
        panel.rows.append(
            Row(
                article,
                is_change=article.status != ArticleStatus.REJECTED,
                rejection=rejections.get(article.rejection_id),
            )
        )
    return panel


def _drafts(articles, user):
    panel = Panel("drafts", _("我的草稿"), _("暂无草稿。"))
    drafts = articles.drafts_of(user).order_by("-updated_at", "-pk")
    panel.rows = [Row(article) for article in _first_rows(panel, drafts)]
    return panel


def _scheduled(articles):
    panel = Panel("scheduled", _("已定时发布"), _("暂无定时发布的文章。"))
    scheduled = articles.scheduled().order_by("publish_at", "pk")
    panel.rows = [Row(article) for article in _first_rows(panel, scheduled)]
    return panel
