"""The steps of the workflow: 送审, 审核通过, 退回, 发布, 撤稿.

Each step re-checks its guards (``guards``) on a locked row and the publication gate on the
content it moves on: at 送审 a finding that blocks stops it; at each approval level, a
finding that needs a reviewer's confirmation stops it too until the reviewer gives a reason
(kept in 流转记录 as 确认内容检查); 发布 and the final approval of a pending change go through
``go_public``.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Article, ArticleStatus, TransitionAction
from .changes import apply_change
from .guards import BUTTON_ACTIONS, configured_levels, pending_change, refusal, review_subject
from .history import record, state_of
from .public import GateRefusal, check_article, findings_of, go_public, submit_refusal

COMMENT_REQUIRED = {
    TransitionAction.REJECT: gettext_lazy("退回时必须填写退回意见，告诉作者需要修改什么。"),
    TransitionAction.WITHDRAW: gettext_lazy("撤稿时必须填写撤稿原因。"),
}


class TransitionError(Exception):
    """A refused step; ``message`` is for the user, ``status`` the HTTP status to answer with
    (403 not allowed, 400 a missing comment). ``findings`` when the gate refused it."""

    def __init__(self, message, status=403, findings=()):
        super().__init__(message)
        self.message = message
        self.status = status
        self.findings = list(findings)


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


def perform(action, article, user, comment="", request=None, reason=""):
    """Take one step, re-checking every guard and the gate on a locked row; returns the
    transition. ``reason`` is a reviewer's confirmation of the gate's findings that need one.

    Raises ``TransitionError`` when the step is refused or its comment is missing.
    """
    comment = (comment or "").strip()
    action = button_action(action)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        why = refusal(action, article, user)
        if why:
            raise TransitionError(why)
        why = missing_comment(action, comment)
        if why:
            raise TransitionError(why, status=400)
        step = {
            TransitionAction.SUBMIT: _submit,
            TransitionAction.APPROVE: _approve,
            TransitionAction.REJECT: _reject,
            TransitionAction.PUBLISH: _publish,
            TransitionAction.WITHDRAW: _withdraw,
        }[action]
        try:
            return step(article, user, comment, request, reason or "")
        except GateRefusal as refused:
            raise TransitionError(refused.message, findings=refused.findings) from None


def approve_each(articles, user, request=None):
    """批量审核通过: ``perform`` on each article in turn, so every guard and the gate are
    checked per article and one refusal does not stop the others. Returns the approved
    articles and, for each refused one, ``(article, reason)``."""
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


def _submit(article, user, comment, request, reason):
    findings = findings_of(article)
    why = submit_refusal(article, findings=findings)
    if why:
        raise GateRefusal(why, findings)
    before = state_of(article)
    article.review_round += 1
    article.status = ArticleStatus.SUBMITTED
    article.review_level = 1
    article.review_levels = configured_levels()
    _save_state(article)
    return record(
        TransitionAction.SUBMIT, article, user, before, comment, request, level=1, findings=findings
    )


def _approve(article, user, comment, request, reason):
    subject = review_subject(article)
    on_change = subject is not article
    before = state_of(subject)
    level = subject.review_level
    final = level >= subject.review_levels
    options = {
        "level": level,
        "levels": before[2],
        "round_": subject.review_round,
        "on_change": on_change,
        "subject": subject,
    }
    if final and on_change:
        note = _("修改稿通过终审，已替换网站上的内容。")
        return go_public(
            article,
            user,
            TransitionAction.APPROVE,
            lambda: apply_change(article, subject),
            content=subject.gate_content(),
            reason=reason,
            comment=f"{comment}\n{note}" if comment else note,
            request=request,
            before=before,
            **options,
        )
    findings = findings_of(article, subject.gate_content() if on_change else None)
    check_article(
        article,
        user,
        findings,
        round_=subject.review_round,
        reason=reason,
        request=request,
        subject=subject if on_change else None,
    )
    if not final:
        subject.status = ArticleStatus.IN_REVIEW
        subject.review_level = level + 1
    else:
        article.status = ArticleStatus.APPROVED
        article.review_level = 0
    _save_state(subject)
    return record(TransitionAction.APPROVE, article, user, before, comment, request, **options)


def _reject(article, user, comment, request, reason):
    subject = review_subject(article)
    before = state_of(subject)
    level = subject.review_level
    subject.status = ArticleStatus.REJECTED
    subject.review_level = 0
    _save_state(subject)
    return record(
        TransitionAction.REJECT,
        article,
        user,
        before,
        comment,
        request,
        level=level,
        levels=before[2],
        round_=subject.review_round,
        on_change=subject is not article,
        subject=subject,
    )


def _publish(article, user, comment, request, reason):
    now = timezone.now()

    def write():
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
    return go_public(
        article,
        user,
        TransitionAction.PUBLISH,
        write,
        reason=reason,
        comment=comment,
        request=request,
    )


def _withdraw(article, user, comment, request, reason):
    before = state_of(article)
    change = pending_change(article)
    if change is not None:
        # Off the public site, the pending change may become the text; nothing is lost.
        apply_change(article, change)
        comment += _("（待审的修改已并入撤下的稿件）")
    article.status = ArticleStatus.WITHDRAWN
    article.review_level = 0
    _save_state(article)
    return record(TransitionAction.WITHDRAW, article, user, before, comment, request)
