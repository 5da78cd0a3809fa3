"""Telling people about the workflow's steps that concern them.

Who hears of what:

* 送审, a change to a published article sent to review, and each level's 审核通过 that leaves it
  waiting at the next level: the reviewers assigned to the level it now waits at;
* the final 审核通过 of an article: its author, and the final-level reviewers (who publish);
* the final approval of a change (it is public now), 退回, 发布 and 撤稿: the author (of the
  article, or of the change).

A school's profile or a brand under review (``news.workflow.profiles``) is told the same way:
送审 and a level's approval that leaves it waiting, the reviewers of the level it waits at; the
last approval and 退回, the person who made the change.

Nobody is told of their own step. Each notice is a ``Notification`` row (the admin's 通知, with
the unread count in the header) and, after the step's transaction commits, an e-mail through
Django's mail settings (the console unless ``EMAIL_URL`` names a server) to those who have an
address and have not turned e-mail off (``NotificationPreference``).
"""

import logging

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import SiteSettings

from .models import (
    REVIEW_STATES,
    ArticleStatus,
    Notification,
    NotificationPreference,
    ReviewerAssignment,
    TransitionAction,
)

logger = logging.getLogger(__name__)


def _reviewers_at(level):
    users = [
        assignment.user
        for assignment in ReviewerAssignment.objects.filter(level=level).select_related("user")
    ]
    return [user for user in users if user.is_active and user.has_perm("news.approve_article")]


def _message(transition, article):
    title = article.title
    action = transition.action
    waiting = transition.to_state in REVIEW_STATES
    if action in (TransitionAction.SUBMIT, TransitionAction.REVISE) or (
        action == TransitionAction.APPROVE and waiting
    ):
        what = _("修改稿") if transition.on_change else _("稿件")
        return _("《%(title)s》的%(what)s等待您审核（%(actor)s）。") % {
            "title": title,
            "what": what,
            "actor": transition.actor_name,
        }
    texts = {
        TransitionAction.APPROVE: _("《%(title)s》已通过终审，可以发布。"),
        TransitionAction.REJECT: _("《%(title)s》被退回：%(comment)s"),
        TransitionAction.PUBLISH: _("《%(title)s》已发布。"),
        TransitionAction.WITHDRAW: _("《%(title)s》已撤稿：%(comment)s"),
    }
    if action == TransitionAction.APPROVE and transition.on_change:
        return _("《%(title)s》的修改稿已通过终审，网站上已是新内容。") % {"title": title}
    return texts[action] % {"title": title, "comment": transition.comment}


def recipients(transition, article, subject):
    """The people ``transition`` (a step on ``article``; ``subject`` the article or its
    pending change) concerns, without its actor."""
    action = transition.action
    author = subject.created_by
    people = []
    if transition.to_state in REVIEW_STATES and action in (
        TransitionAction.SUBMIT,
        TransitionAction.REVISE,
        TransitionAction.APPROVE,
    ):
        people = _reviewers_at(subject.review_level)
    elif action == TransitionAction.APPROVE and transition.on_change:
        people = [author]
    elif action == TransitionAction.APPROVE and transition.to_state == ArticleStatus.APPROVED:
        people = [author, *_reviewers_at(transition.levels)]
    elif action in (TransitionAction.REJECT, TransitionAction.PUBLISH, TransitionAction.WITHDRAW):
        people = [author]
    return _others(people, transition.actor_id)


def _others(people, actor_id):
    """``people`` once each, without the step's actor: nobody is told of their own step."""
    unique = {person.pk: person for person in people if person is not None}
    unique.pop(actor_id, None)
    return list(unique.values())


def notify(transition, article, subject, request=None):
    """Tell everybody ``transition`` concerns (see the module's docstring)."""
    if transition.action not in _TOLD:
        return
    people = recipients(transition, article, subject)
    if not people:
        return
    _deliver(people, _message(transition, article), request, article=article, transition=transition)


def _deliver(people, message, request, **step):
    """A ``Notification`` of ``step`` for each of ``people``; their e-mail after the commit."""
    notices = Notification.objects.bulk_create(
        Notification(recipient=person, message=message[:300], **step) for person in people
    )
    silent = set(
        NotificationPreference.objects.filter(user__in=people, email=False).values_list(
            "user_id", flat=True
        )
    )
    addresses = [person.email for person in people if person.email and person.pk not in silent]
    if addresses:
        link = notices[0].get_admin_url()
        if request is not None:
            link = request.build_absolute_uri(link)
        transaction.on_commit(lambda: _send(message[:300], link, addresses))


def _profile_name(change):
    subject = change.subject
    if change.school_id:
        return _("学校“%(name)s”") % {"name": subject.name}
    return _("党建品牌“%(name)s”") % {"name": subject.name}


def notify_profile(step, change, request=None):
    """Tell everybody ``step`` (a ``ProfileTransition`` of ``change``) concerns."""
    what = _profile_name(change)
    if step.action == TransitionAction.REJECT:
        people = [change.created_by]
        message = _("%(what)s的资料修改被退回：%(comment)s") % {
            "what": what,
            "comment": step.comment,
        }
    elif step.action == TransitionAction.APPROVE and step.level == change.review_levels:
        people = [change.created_by]
        message = (
            _("%(what)s的资料修改已通过审核，网站上已是新内容。")
            if change.content
            else _("%(what)s已通过审核，已在网站上显示。")
        ) % {"what": what}
    elif step.action in (TransitionAction.SUBMIT, TransitionAction.APPROVE):
        people = _reviewers_at(change.review_level)
        message = (
            _("%(what)s的资料修改等待您审核（%(actor)s）。")
            if change.content
            else _("新建的%(what)s等待您审核（%(actor)s）。")
        ) % {"what": what, "actor": step.actor_name}
    else:
        return
    people = _others(people, step.actor_id)
    if people:
        _deliver(people, message, request, profile_step=step)


_TOLD = {
    TransitionAction.SUBMIT,
    TransitionAction.REVISE,
    TransitionAction.APPROVE,
    TransitionAction.REJECT,
    TransitionAction.PUBLISH,
    TransitionAction.WITHDRAW,
}


def _send(message, link, addresses):
    site = SiteSettings.load().site_name
    body = _("%(message)s\n\n打开：%(link)s\n\n不想收到邮件？在管理后台的“通知”页面可以关闭。") % {
        "message": message,
        "link": link,
    }
    # One message each: recipients never see each other's addresses.
    try:
        send_mass_mail(
            [(f"[{site}] {message}"[:120], body, None, [address]) for address in addresses]
        )
    except Exception:  # the mail server's trouble: the step is done, the admin shows it
        logger.exception("workflow notification not sent")
