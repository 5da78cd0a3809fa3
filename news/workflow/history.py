"""The record of an article's way: 流转记录 (``ArticleTransition``) and the audit log."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import AuditAction

from ..models import REVIEW_STATES, ArticleStatus, ArticleTransition, TransitionAction
from ..notifications import notify
from .guards import level_name, pending_change

AUDIT_ACTIONS = {
    TransitionAction.PUBLISH: AuditAction.PUBLISH,
    TransitionAction.WITHDRAW: AuditAction.WITHDRAW,
    TransitionAction.PUBLISH_TIME: "publish_time",
}


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


def article_state_label(article, change=None):
    label = state_label(article.status, article.review_level, article.review_levels)
    if change is not None:
        label += _("；修改稿：%(state)s") % {
            "state": state_label(change.status, change.review_level, change.review_levels)
        }
    return label


def standing_rejection(article, transitions):
    """The 退回 the author has to answer now: the latest REJECT among ``transitions`` (the
    article's, oldest first) when the article or its pending change is rejected; else None."""
    change = pending_change(article) if article.status == ArticleStatus.PUBLISHED else None
    subject = change or article
    if subject.status != ArticleStatus.REJECTED:
        return None
    rejections = [
        step
        for step in transitions
        if step.action == TransitionAction.REJECT and step.round == subject.review_round
    ]
    return rejections[-1] if rejections else None


def state_of(obj):
    return (obj.status, obj.review_level, obj.review_levels)


def record(
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
    on_change=False,
    subject=None,
    after=None,
    findings=(),
):
    """One step on record: a row of 流转记录 and an audit log entry. ``findings`` are the
    publication gate's findings the step was taken with (or, for 确认内容检查, confirmed)."""
    subject = subject or article
    after = after or state_of(subject)
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
        on_change=on_change,
        comment=comment,
        findings=[finding_record(finding) for finding in findings],
    )
    notify(transition, article, subject, request)
    prefix = _("修改稿：") if on_change else ""
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


def finding_record(finding):
    """A finding as 流转记录 keeps it."""
    return {
        "key": finding.key,
        "level": str(finding.level),
        "field": finding.field,
        "matched": finding.matched,
        "message": finding.message,
    }


def record_publish_time_change(article, user, old, new, request=None):
    """The publish time of a published article changed (only 管理员 may): on record."""
    fmt = "%Y-%m-%d %H:%M:%S"
    comment = _("发布时间由 %(old)s 改为 %(new)s") % {
        "old": timezone.localtime(old).strftime(fmt),
        "new": timezone.localtime(new).strftime(fmt),
    }
    return record(TransitionAction.PUBLISH_TIME, article, user, state_of(article), comment, request)
