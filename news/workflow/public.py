"""The one way content reaches the public: ``go_public``, with the publication gate.

Every path that changes what the public reads of an article goes through ``go_public``:

* 发布 (``steps``: an article that passed the final review is published);
* the final approval of a pending change (``steps``: the change replaces the published text);
* a final-level reviewer's direct edit of a published article (the article admin's save);
* restoring an old version of a published article from its history (the admin's 历史 page);
* recovering a deleted article that was published (the admin's 恢复已删除的文章);
* and, for schools, brands, campaigns and honours, which have no review, their admin form
  and their spreadsheet import (``public_refusal`` in the form and the import, ``go_public`` on
  save).

The gate (``portal.gate.inspect``) runs on the content that is about to be public. A finding
of level BLOCK always stops the step; one of level CONFIRM stops it until a reviewer has
confirmed it with a reason (in this review round, for an article); NOTEs are only shown.
The gate also runs at 送审 and at every approval level (``steps``), so a reviewer never
passes on what the last step would refuse. Placement (channel, schools, flags,
``PLACEMENT_FIELDS``) is not content and applies at once without the gate.
"""

from django.utils.translation import gettext as _

from portal import audit, gate
from portal.gate import Level
from portal.models import AuditAction

from ..models import Article, ArticleTransition, TransitionAction
from .history import record, state_of

# Who may confirm a finding of level CONFIRM: a reviewer.
CONFIRM_PERMISSION = "news.approve_article"


class GateRefusal(Exception):
    """The gate stops a step; ``message`` is for the user, ``findings`` what stopped it."""

    def __init__(self, message, findings):
        super().__init__(message)
        self.message = message
        self.findings = findings
        self.status = 403


def findings_of(obj, content=None):
    """The gate's findings on ``content`` (default: what ``obj`` shows the public)."""
    return gate.inspect(content if content is not None else obj.gate_content())


def confirmed_keys(article, round_):
    """The findings a reviewer confirmed for ``article`` in review round ``round_``."""
    steps = ArticleTransition.objects.filter(
        article=article, round=round_, action=TransitionAction.CONFIRM
    )
    return {item["key"] for step in steps.values_list("findings", flat=True) for item in step}


def refusal_of(findings, confirmed=frozenset(), user=None, reason=""):
    """Why ``findings`` stop a step (None when they do not). A CONFIRM finding passes when
    its key is in ``confirmed`` or when ``user`` may confirm and gives a ``reason`` now."""
    blocks = [finding for finding in findings if finding.level == Level.BLOCK]
    if blocks:
        return _("内容检查发现不能公开的内容：%(list)s。请修改后再试。") % {
            "list": _listing(blocks)
        }
    waiting = unconfirmed(findings, confirmed)
    if not waiting:
        return None
    if user is not None and user.has_perm(CONFIRM_PERMISSION):
        if reason.strip():
            return None
        return _(
            "内容检查发现需要审核员确认的内容：%(list)s。请核实后填写确认理由，或修改后再试。"
        ) % {"list": _listing(waiting)}
    return _("内容检查发现需要审核员确认的内容：%(list)s。请修改，或请审核员核实确认。") % {
        "list": _listing(waiting)
    }


def unconfirmed(findings, confirmed=frozenset()):
    return [f for f in findings if f.level == Level.CONFIRM and f.key not in confirmed]


def _listing(findings):
    return "；".join(f"{f.field}：{f.message}" for f in findings)


def confirm(article, user, findings, reason, request=None, *, subject=None, round_=None):
    """A reviewer confirms the CONFIRM ``findings`` with ``reason``: 流转记录 and audit log."""
    subject = subject or article
    return record(
        TransitionAction.CONFIRM,
        article,
        user,
        state_of(subject),
        reason.strip(),
        request,
        round_=round_,
        on_change=subject is not article,
        subject=subject,
        findings=findings,
    )


def check_article(article, user, findings, *, round_, reason="", request=None, subject=None):
    """The gate for a step on ``article``: raises ``GateRefusal``, or records the reviewer's
    confirmation of what needed one (when ``reason`` is given) and lets the step go on."""
    confirmed = confirmed_keys(article, round_)
    reason_text = refusal_of(findings, confirmed, user, reason)
    if reason_text:
        raise GateRefusal(reason_text, findings)
    waiting = unconfirmed(findings, confirmed)
    if waiting:
        confirm(article, user, waiting, reason, request, subject=subject, round_=round_)


def go_public(
    article,
    user,
    action,
    write,
    *,
    content=None,
    reason="",
    comment="",
    request=None,
    **record_options,
):
    """Make ``article``'s content public by ``action`` (a ``TransitionAction``): run the gate
    on ``content`` (default: the article's), then ``write()`` (the caller's change of the
    rows), then put the step on record with the findings it passed. Raises ``GateRefusal``
    before anything is written when the gate stops it. Call inside a transaction."""
    if not isinstance(article, Article):
        return _go_public_object(article, user, write, content, reason, request)
    subject = record_options.get("subject") or article
    findings = findings_of(article, content)
    check_article(
        article,
        user,
        findings,
        round_=subject.review_round,
        reason=reason,
        request=request,
        subject=record_options.get("subject"),
    )
    before = record_options.pop("before", None) or state_of(subject)
    write()
    return record(
        action,
        article,
        user,
        before,
        comment,
        request,
        after=state_of(article),
        findings=findings,
        **record_options,
    )


def gate_refusal(article, user, content=None, reason=""):
    """Why the publication gate stops ``user`` from making ``content`` (default: the
    article's own) public at once on ``article`` (None when it does not): the article form asks
    this before a save that goes public."""
    confirmed = confirmed_keys(article, article.review_round)
    return refusal_of(findings_of(article, content), confirmed, user, reason)


def submit_refusal(article, content=None, findings=None):
    """Why ``content`` (default: the article's) may not be sent to review (None when it may):
    only what blocks stops 送审; a reviewer confirms the rest. ``findings``: the gate's, when
    the caller has them already."""
    if findings is None:
        findings = findings_of(article, content)
    blocks = [f for f in findings if f.level == Level.BLOCK]
    return refusal_of(blocks) if blocks else None


def public_refusal(obj, user, content=None, reason=""):
    """Why ``obj`` (a school, brand, campaign or honour: no review) may not be saved as it is
    (None when it may): its form and its import ask this before saving."""
    return refusal_of(findings_of(obj, content), user=user, reason=reason)


def _go_public_object(obj, user, write, content, reason, request):
    findings = findings_of(obj, content)
    reason_text = refusal_of(findings, user=user, reason=reason)
    if reason_text:
        raise GateRefusal(reason_text, findings)
    write()
    waiting = unconfirmed(findings)
    if waiting:
        audit.record(
            AuditAction.TRANSITION,
            actor=user,
            obj=obj,
            request=request,
            comment=_("确认内容检查：%(reason)s（%(list)s）")
            % {"reason": reason.strip(), "list": _listing(waiting)},
        )
    return findings
