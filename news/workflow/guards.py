"""Who may do what to an article now.

Checked on the server for every request:

* approving or rejecting needs ``news.approve_article`` and a ``ReviewerAssignment`` at the
  level the article (or its pending change) waits at;
* nobody approves their own article (``created_by``; for a change to a published article, the
  person who made the change);
* one person approves at most one level of an article in a review round (a round starts with
  each submission, so a resubmitted article is reviewed afresh);
* publishing needs ``news.publish_article`` and the final approval (state 已通过);
* after the first publication the publish time is locked; ``news.change_publish_time`` (管理员)
  may still change it, and the change is logged.

The review rules are written once, as conditions on article rows (``REVIEW_GUARDS``): the
待我审核 query is all of them together, and the check of one article evaluates each of them on
that article's row in one query, so the list and the buttons can never disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from brands.models import ALL_SCHOOLS_PERMISSION
from portal.models import SiteSettings

from ..models import (
    REVIEW_STATES,
    Article,
    ArticleStatus,
    ArticleTransition,
    PendingChange,
    ReviewerAssignment,
    TransitionAction,
)

LEVEL_NAMES = {1: ["终审"], 2: ["初审", "终审"], 3: ["初审", "复审", "终审"]}


def configured_levels():
    return SiteSettings.load().review_levels


def reviewer_levels(user):
    """The review levels ``user`` is assigned to (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_news_review_levels", None)
    if cached is None:
        cached = frozenset(
            ReviewerAssignment.objects.filter(user=user).values_list("level", flat=True)
        )
        user._news_review_levels = cached
    return cached


def is_final_reviewer(user):
    """A reviewer of the final level: their changes to a published article apply at once."""
    return user.has_perm("news.approve_article") and configured_levels() in reviewer_levels(user)


def level_name(level, levels):
    names = LEVEL_NAMES.get(levels)
    if names and 1 <= level <= len(names):
        return names[level - 1]
    return ""


def pending_change(article):
    try:
        return article.pending_change
    except PendingChange.DoesNotExist:
        return None


def review_subject(article):
    """What a reviewer decides on now: the article, its pending change, or nothing."""
    if article.status in REVIEW_STATES:
        return article
    if article.status == ArticleStatus.PUBLISHED:
        change = pending_change(article)
        if change is not None and change.status in REVIEW_STATES:
            return change
    return None


def can_see(article, user):
    return Article.objects.visible_to(user).filter(pk=article.pk).exists()


def edit_refusal(article, user):
    """Why ``user`` may not change ``article`` now (None when they may)."""
    if not user.has_perm("news.change_article"):
        return _("您没有修改文章的权限。")
    if article.pk and not can_see(article, user):
        return _("这篇文章不属于您负责的学校。")
    if article.status in REVIEW_STATES and not user.has_perm("news.approve_article"):
        return _("稿件正在审核中，不能修改；如需修改，请审核员退回。")
    if article.status == ArticleStatus.APPROVED and not is_final_reviewer(user):
        return _("稿件已通过终审，只有终审人员可以修改；如需修改，请终审人员处理。")
    return None


def reviewer_note(article, user):
    """What a reviewer who may not edit can do with ``article`` when it waits for their
    decision; to them the edit refusal would read as an error. None for anybody else."""
    if user.has_perm("news.change_article") or _review_refusal(article, user) is not None:
        return None
    return _("您可以审阅这篇稿件，并用下方的“审核通过”或“退回”作出决定；修改正文请退回给作者。")


# --- The review rules, once ------------------------------------------------------------------


def _on_subject(article_waits, change_waits):
    """A condition on what a reviewer decides on: the article itself while it is in review,
    else the pending change of a published article."""
    return (Q(status__in=REVIEW_STATES) & article_waits) | (
        Q(status=ArticleStatus.PUBLISHED) & change_waits
    )


def _approved_by(user, round_field):
    return Exists(
        ArticleTransition.objects.filter(
            article=OuterRef("pk"),
            actor=user,
            action=TransitionAction.APPROVE,
            round=OuterRef(round_field),
        )
    )


def _not_in_review(article, subject, user):
    return _("这篇文章现在不在审核中。")


def _not_their_school(article, subject, user):
    return _("这篇文章不属于您负责的学校。")


def _not_their_level(article, subject, user):
    return _("稿件正在等待第%(level)d级（%(name)s）审核，您没有被分配这一级。") % {
        "level": subject.review_level,
        "name": level_name(subject.review_level, subject.review_levels),
    }


def _their_own(article, subject, user):
    return _("不能审核自己撰写或修改的稿件。")


def _approved_another_level(article, subject, user):
    earlier = (
        ArticleTransition.objects.filter(
            article=article,
            round=subject.review_round,
            action=TransitionAction.APPROVE,
            actor=user,
        )
        .values_list("level", flat=True)
        .first()
    )
    return _("您已通过这篇稿件的第%(level)d级审核，同一人不能审核同一稿件的两级。") % {
        "level": earlier
    }


@dataclass(frozen=True)
class ReviewGuard:
    name: str
    # The condition on article rows, for ``user`` holding review ``levels``.
    condition: Callable[..., Q]
    # Why the step is refused when the condition does not hold: (article, subject, user) → str.
    refusal: Callable[..., str]


REVIEW_GUARDS = [
    ReviewGuard(
        "in_review",
        lambda user, levels: _on_subject(Q(), Q(pending_change__status__in=REVIEW_STATES)),
        _not_in_review,
    ),
    ReviewGuard(
        "their_school",
        lambda user, levels: (
            Q()
            if user.has_perm(ALL_SCHOOLS_PERMISSION)
            else Q(pk__in=Article.objects.visible_to(user).values("pk"))
        ),
        _not_their_school,
    ),
    ReviewGuard(
        "their_level",
        lambda user, levels: _on_subject(
            Q(review_level__in=levels), Q(pending_change__review_level__in=levels)
        ),
        _not_their_level,
    ),
    ReviewGuard(
        "not_their_own",
        lambda user, levels: _on_subject(~Q(created_by=user), ~Q(pending_change__created_by=user)),
        _their_own,
    ),
    ReviewGuard(
        "one_level_each",
        lambda user, levels: _on_subject(
            ~_approved_by(user, "review_round"), ~_approved_by(user, "pending_change__review_round")
        ),
        _approved_another_level,
    ),
]


def _may_review(user):
    return user.has_perm("news.approve_article") and bool(reviewer_levels(user))


def awaiting_review(user, articles=None):
    """待我审核: the articles (or pending changes of published ones) among ``articles`` (all
    by default) that wait at a level ``user`` is assigned to and that every review rule lets
    them decide on."""
    articles = Article.objects.all() if articles is None else articles
    if not _may_review(user):
        return articles.none()
    levels = reviewer_levels(user)
    return articles.filter(*(guard.condition(user, levels) for guard in REVIEW_GUARDS))


def review_queue(user, articles=None):
    """待我审核 in the order a reviewer works through it: who waited longest comes first."""
    return awaiting_review(user, articles).with_submitted_at().order_by("submitted_at", "pk")


def _review_refusal(article, user):
    if not user.has_perm("news.approve_article"):
        return _("您没有审核权限。")
    subject = review_subject(article)
    if subject is None:
        return _not_in_review(article, subject, user)
    levels = reviewer_levels(user)
    holds = {
        guard.name: Exists(Article.objects.filter(guard.condition(user, levels), pk=OuterRef("pk")))
        for guard in REVIEW_GUARDS
    }
    row = Article.objects.filter(pk=article.pk).annotate(**holds).values(*holds).first() or {}
    for guard in REVIEW_GUARDS:
        if not row.get(guard.name):
            return guard.refusal(article, subject, user)
    return None


# --- The action checks -----------------------------------------------------------------------

# Where 送审 may start from.
SUBMITTABLE = (ArticleStatus.DRAFT, ArticleStatus.REJECTED, ArticleStatus.WITHDRAWN)


def refusal(action, article, user):
    """Why ``user`` may not do ``action`` to ``article`` now (None when they may).

    The comment a step needs is checked separately (``steps.missing_comment``)."""
    if action == TransitionAction.SUBMIT:
        if not user.has_perm("news.submit_article"):
            return _("您没有送审的权限。")
        if article.status not in SUBMITTABLE:
            return _("“%(state)s”的稿件不能送审。") % {"state": article.get_status_display()}
        return edit_refusal(article, user)
    if action in (TransitionAction.APPROVE, TransitionAction.REJECT):
        return _review_refusal(article, user)
    if action in (TransitionAction.PUBLISH, TransitionAction.WITHDRAW):
        if not user.has_perm("news.publish_article"):
            return _("您没有发布和撤稿的权限。")
        if not can_see(article, user):
            return _("这篇文章不属于您负责的学校。")
        if action == TransitionAction.PUBLISH and article.status != ArticleStatus.APPROVED:
            return _("只有通过终审（状态为“已通过”）的稿件才能发布。")
        if action == TransitionAction.WITHDRAW and article.status != ArticleStatus.PUBLISHED:
            return _("只有已发布的文章才能撤稿。")
        return None
    return _("没有这个操作。")


# The actions the admin offers as buttons, in this order.
BUTTON_ACTIONS = [
    TransitionAction.SUBMIT,
    TransitionAction.APPROVE,
    TransitionAction.REJECT,
    TransitionAction.PUBLISH,
    TransitionAction.WITHDRAW,
]


def allowed_actions(article, user):
    """The buttons to show: the steps ``user`` may take now."""
    return [action for action in BUTTON_ACTIONS if refusal(action, article, user) is None]
