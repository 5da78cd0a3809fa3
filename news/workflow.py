"""The editorial workflow: who may move an article from which state to which.

States (``ArticleStatus``): 草稿 → 待审核 (waiting for level 1) → 审核中 (waiting for level k of N)
→ 已通过 (passed the final level) → 已发布; 退回 (with a required comment, back to the author,
who edits and submits again) and 已撤稿 (with a required reason). N, the number of review levels,
comes from ``SiteSettings.review_levels`` and is copied onto the article when it is submitted, so
changing the setting never strands an article half-way.

The article keeps its state (``status``, ``review_level``, ``review_levels``, ``review_round``);
every step is an ``ArticleTransition`` row (the timeline on the admin page) and an audit log
entry. The guards, checked on the server for every request:

* approving or rejecting needs ``news.approve_article`` and a ``ReviewerAssignment`` at the
  level the article waits at;
* nobody approves their own article (``created_by``; for a change to a published article, the
  person who made the change);
* one person approves at most one level of an article in a review round (a round starts with
  each submission, so a resubmitted article is reviewed afresh);
* publishing needs ``news.publish_article`` and the final approval (state 已通过); a future
  publish time makes it scheduled, which ``Article.objects.published()`` honours at query time;
* after the first publication the publish time is locked; ``news.change_publish_time`` (管理员)
  may still change it, and the change is logged.

Changes to a published article
------------------------------
The public must keep seeing the approved text until a change to it is approved. A change made by
anybody but a final-level reviewer is therefore stored in a ``PendingRevision`` (one per article)
instead of on the article: the edited content fields (``REVISABLE_FIELDS``) as JSON, with the
revision's own review state, level and round. It goes through the same levels and guards; the
final approval copies it onto the article, a rejection sends it back to the person who made it.
Each new save of the change restarts its review. Placement (channel, schools, flags) is not
content and applies at once.

Why a separate row and not a revision of ``django-reversion``: the published article must stay
a plain row that ``Article.objects.published()`` and every public query read without knowing
about versions (and with the same number of queries); the pending content needs a review state
of its own; and reversion's history is about what *was* saved, not what is waiting. A one-to-one
row with a JSON copy of a dozen fields is the smallest thing that does this, and the admin form
simply shows it instead of the published text.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit
from portal.models import AuditAction, SiteSettings

from .models import (
    REVIEW_STATES,
    Article,
    ArticleStatus,
    ArticleTransition,
    PendingRevision,
    ReviewerAssignment,
    TransitionAction,
)

# Where each action may start from.
SUBMITTABLE = (ArticleStatus.DRAFT, ArticleStatus.REJECTED, ArticleStatus.WITHDRAWN)
# The actions the admin offers as buttons, in this order.
BUTTON_ACTIONS = [
    TransitionAction.SUBMIT,
    TransitionAction.APPROVE,
    TransitionAction.REJECT,
    TransitionAction.PUBLISH,
    TransitionAction.WITHDRAW,
]
COMMENT_REQUIRED = {
    TransitionAction.REJECT: gettext_lazy("退回时必须填写退回意见，告诉作者需要修改什么。"),
    TransitionAction.WITHDRAW: gettext_lazy("撤稿时必须填写撤稿原因。"),
}
LEVEL_NAMES = {1: ["终审"], 2: ["初审", "终审"], 3: ["初审", "复审", "终审"]}
AUDIT_ACTIONS = {
    TransitionAction.PUBLISH: AuditAction.PUBLISH,
    TransitionAction.WITHDRAW: AuditAction.WITHDRAW,
    TransitionAction.PUBLISH_TIME: "publish_time",
}


class TransitionError(Exception):
    """A refused step; ``message`` is for the user, ``status`` the HTTP status to answer with
    (403 not allowed, 400 a missing comment)."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.message = message
        self.status = status


# --- Who is who ------------------------------------------------------------------------------


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


def state_label(status, level=0, levels=0):
    """“审核中（第2级/共3级·复审）”: the state as the timeline and the lists show it."""
    label = str(ArticleStatus(status).label)
    if status in REVIEW_STATES and level:
        return _("%(label)s（第%(level)d级/共%(levels)d级·%(name)s）") % {
            "label": label,
            "level": level,
            "levels": levels,
            "name": level_name(level, levels),
        }
    return label


def article_state_label(article, revision=None):
    label = state_label(article.status, article.review_level, article.review_levels)
    if revision is not None:
        label += _("；修改稿：%(state)s") % {
            "state": state_label(revision.status, revision.review_level, revision.review_levels)
        }
    return label


def pending_revision(article):
    try:
        return article.pending_revision
    except PendingRevision.DoesNotExist:
        return None


def review_subject(article):
    """What a reviewer decides on now: the article, its pending change, or nothing."""
    if article.status in REVIEW_STATES:
        return article
    if article.status == ArticleStatus.PUBLISHED:
        revision = pending_revision(article)
        if revision is not None and revision.status in REVIEW_STATES:
            return revision
    return None


def standing_rejection(article, transitions):
    """The 退回 the author has to answer now: the latest REJECT among ``transitions`` (the
    article's, oldest first) when the article or its pending change is rejected; else None."""
    revision = pending_revision(article) if article.status == ArticleStatus.PUBLISHED else None
    subject = revision or article
    if subject.status != ArticleStatus.REJECTED:
        return None
    rejections = [
        step
        for step in transitions
        if step.action == TransitionAction.REJECT and step.round == subject.review_round
    ]
    return rejections[-1] if rejections else None


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


# --- Guards ----------------------------------------------------------------------------------


def refusal(action, article, user):
    """Why ``user`` may not do ``action`` to ``article`` now (None when they may).

    The comment a step needs is checked separately (``perform``)."""
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


def _review_refusal(article, user):
    if not user.has_perm("news.approve_article"):
        return _("您没有审核权限。")
    subject = review_subject(article)
    if subject is None:
        return _("这篇文章现在不在审核中。")
    if not can_see(article, user):
        return _("这篇文章不属于您负责的学校。")
    level = subject.review_level
    if level not in reviewer_levels(user):
        return _("稿件正在等待第%(level)d级（%(name)s）审核，您没有被分配这一级。") % {
            "level": level,
            "name": level_name(level, subject.review_levels),
        }
    if subject.created_by_id == user.pk:
        return _("不能审核自己撰写或修改的稿件。")
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
    if earlier is not None:
        return _("您已通过这篇稿件的第%(level)d级审核，同一人不能审核同一稿件的两级。") % {
            "level": earlier
        }
    return None


def allowed_actions(article, user):
    """The buttons to show: the steps ``user`` may take now."""
    return [action for action in BUTTON_ACTIONS if refusal(action, article, user) is None]


# --- Steps -----------------------------------------------------------------------------------


def button_action(code):
    """The step a button's ``code`` names; ``TransitionError`` (404) for anything else."""
    try:
        action = TransitionAction(code)
    except ValueError:
        raise TransitionError(_("没有这个操作。"), status=404) from None
    if action not in BUTTON_ACTIONS:
        raise TransitionError(_("没有这个操作。"), status=404)
    return action


def missing_comment(action, comment):
    """Why ``comment`` is not enough for ``action`` (None when it is)."""
    if action in COMMENT_REQUIRED and not (comment or "").strip():
        return str(COMMENT_REQUIRED[action])
    return None


def perform(action, article, user, comment="", request=None):
    """Take one step, re-checking every guard on a locked row; returns the transition.

    Raises ``TransitionError`` when the step is refused or its comment is missing.
    """
    comment = (comment or "").strip()
    action = button_action(action)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        reason = refusal(action, article, user)
        if reason:
            raise TransitionError(reason)
        reason = missing_comment(action, comment)
        if reason:
            raise TransitionError(reason, status=400)
        step = {
            TransitionAction.SUBMIT: _submit,
            TransitionAction.APPROVE: _approve,
            TransitionAction.REJECT: _reject,
            TransitionAction.PUBLISH: _publish,
            TransitionAction.WITHDRAW: _withdraw,
        }[action]
        return step(article, user, comment, request)


def approve_each(articles, user, request=None):
    """批量审核通过: ``perform`` on each article in turn, so every guard is checked per article
    and one refusal does not stop the others. Returns the approved articles and, for each
    refused one, ``(article, reason)``."""
    approved, refused = [], []
    for article in articles:
        try:
            perform(TransitionAction.APPROVE, article, user, request=request)
        except TransitionError as error:
            refused.append((article, error.message))
        else:
            approved.append(article)
    return approved, refused


def _save_state(obj, *extra):
    fields = ["status", "review_level", "review_levels", "review_round", "updated_at", *extra]
    if isinstance(obj, Article):
        fields.append("first_published_at")
    obj.save(update_fields=fields)


def _submit(article, user, comment, request):
    before = _state_of(article)
    article.review_round += 1
    article.status = ArticleStatus.SUBMITTED
    article.review_level = 1
    article.review_levels = configured_levels()
    _save_state(article)
    return _record(TransitionAction.SUBMIT, article, user, before, comment, request, level=1)


def _approve(article, user, comment, request):
    subject = review_subject(article)
    on_revision = subject is not article
    before = _state_of(subject)
    level = subject.review_level
    final = level >= subject.review_levels
    if not final:
        subject.status = ArticleStatus.IN_REVIEW
        subject.review_level = level + 1
        _save_state(subject)
    elif on_revision:
        _apply_revision(article, subject)
        note = _("修改稿通过终审，已替换网站上的内容。")
        comment = f"{comment}\n{note}" if comment else note
    else:
        article.status = ArticleStatus.APPROVED
        article.review_level = 0
        _save_state(article)
    after = _state_of(article) if final and on_revision else None
    return _record(
        TransitionAction.APPROVE,
        article,
        user,
        before,
        comment,
        request,
        level=level,
        levels=before[2],
        round_=subject.review_round,
        on_revision=on_revision,
        subject=subject,
        after=after,
    )


def _reject(article, user, comment, request):
    subject = review_subject(article)
    before = _state_of(subject)
    level = subject.review_level
    subject.status = ArticleStatus.REJECTED
    subject.review_level = 0
    _save_state(subject)
    return _record(
        TransitionAction.REJECT,
        article,
        user,
        before,
        comment,
        request,
        level=level,
        levels=before[2],
        round_=subject.review_round,
        on_revision=subject is not article,
        subject=subject,
    )


def _publish(article, user, comment, request):
    before = _state_of(article)
    now = timezone.now()
    if article.first_published_at is None and article.publish_at < now:
        # A draft's publish time is when it was started: publish it now, not back then.
        article.publish_at = now
    article.status = ArticleStatus.PUBLISHED
    if article.first_published_at is None:
        article.first_published_at = max(article.publish_at, now)
    _save_state(article, "publish_at")
    if article.publish_at > now:
        note = _("定时发布：%(time)s 起公开。") % {
            "time": timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M")
        }
        comment = f"{comment}\n{note}" if comment else note
    return _record(TransitionAction.PUBLISH, article, user, before, comment, request)


def _withdraw(article, user, comment, request):
    before = _state_of(article)
    revision = pending_revision(article)
    if revision is not None:
        # Off the public site, the pending change may become the text; nothing is lost.
        _apply_revision(article, revision)
        comment += _("（待审的修改已并入撤下的稿件）")
    article.status = ArticleStatus.WITHDRAWN
    article.review_level = 0
    _save_state(article)
    return _record(TransitionAction.WITHDRAW, article, user, before, comment, request)


def _apply_revision(article, revision):
    tags = revision.apply_to(article)
    article.save()
    article.tags.set(tags)
    revision.delete()


def propose_revision(article, user, content, request=None):
    """Store a change to a published article for review (a non-final-level editor saved it).

    Saving again replaces the pending content and restarts its review at level 1."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        revision = pending_revision(article) or PendingRevision(article=article)
        before = (
            _state_of(revision)
            if revision.pk
            else (ArticleStatus.PUBLISHED, article.review_level, article.review_levels)
        )
        article.review_round += 1
        article.save(update_fields=["review_round"])
        revision.content = content
        revision.created_by = user
        revision.status = ArticleStatus.SUBMITTED
        revision.review_level = 1
        revision.review_levels = configured_levels()
        revision.review_round = article.review_round
        revision.save()
        return _record(
            TransitionAction.REVISE,
            article,
            user,
            before,
            _("修改已发布的文章，修改稿送审；网站上仍显示原内容，直到修改稿通过终审。"),
            request,
            level=1,
            levels=revision.review_levels,
            round_=revision.review_round,
            on_revision=True,
            subject=revision,
        )


def record_direct_revision(article, user, request=None):
    """A final-level reviewer changed a published article: applied at once, but on record.
    A pending change shown in their form is part of what they saved, so it is settled."""
    revision = pending_revision(article)
    comment = _("终审人员直接修改已发布的文章，修改立即生效。")
    if revision is not None:
        revision.delete()
        comment += _("待审的修改稿已一并生效。")
    state = (article.status, article.review_level, article.review_levels)
    return _record(TransitionAction.REVISE, article, user, state, comment, request)


def record_publish_time_change(article, user, old, new, request=None):
    """The publish time of a published article changed (only 管理员 may): on record."""
    fmt = "%Y-%m-%d %H:%M:%S"
    comment = _("发布时间由 %(old)s 改为 %(new)s") % {
        "old": timezone.localtime(old).strftime(fmt),
        "new": timezone.localtime(new).strftime(fmt),
    }
    state = (article.status, article.review_level, article.review_levels)
    return _record(TransitionAction.PUBLISH_TIME, article, user, state, comment, request)


def _state_of(obj):
    return (obj.status, obj.review_level, obj.review_levels)


def _record(
    action,
    article,
    user,
    before,
    comment,
    request,
    *,
    level=0,
    levels=None,
    round_=None,
    on_revision=False,
    subject=None,
    after=None,
):
    subject = subject or article
    after = after or _state_of(subject)
    transition = ArticleTransition.objects.create(
        article=article,
        actor=user,
        actor_name=user.get_username(),
        action=action,
        from_state=before[0],
        to_state=after[0],
        level=level,
        levels=levels if levels is not None else (after[2] or before[2]),
        round=article.review_round if round_ is None else round_,
        on_revision=on_revision,
        comment=comment,
    )
    prefix = _("修改稿：") if on_revision else ""
    audit.record(
        AUDIT_ACTIONS.get(action, AuditAction.TRANSITION),
        actor=user,
        obj=article,
        request=request,
        from_state=prefix + state_label(*before),
        to_state=prefix + state_label(*after),
        comment=f"{TransitionAction(action).label}" + (f"：{comment}" if comment else ""),
    )
    return transition
