"""School profiles and brands under review: a change by somebody who does not publish directly
waits for review, like a change to a published article.

A school correspondent (or an editor) who changes a school's profile, or a brand and its
gallery, does not change what the public sees: the new content is kept in a ``ProfileChange``
and goes through ``SiteSettings.profile_review_levels`` levels (one by default), decided by the
reviewers assigned those levels, with the article's rules: ``news.approve_article``, the level
assigned, never one's own change, one level per person in a round, only the schools one works
on. The last approval puts the change on the profile through ``go_public`` (the publication
gate). A reviewer of the last level changes a profile directly (through ``go_public`` too);
a change waiting for review, which their form showed them, is part of what they saved.

A brand added by such a user is saved, but not public (``Brand.published``) until its review
passes; until then edits go to the brand itself, since nobody else sees it.

What is content (``PROFILE_FIELDS``, plus a brand's gallery) waits for review; the rest
(where a school belongs, its correspondents, a brand's status and whether it is the school's
current brand) is placement, applied at once as for articles.

Every step is a ``ProfileTransition`` (审核记录 on the admin page) and an audit entry.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _

from brands.models import Brand, School, works_on_every_school
from portal import audit
from portal.models import AuditAction, SiteSettings

from ..models import REVIEW_STATES, ArticleStatus, ProfileChange, ProfileTransition
from ..models import TransitionAction as Action
from ..notifications import notify_profile
from .guards import level_name, reviewer_levels
from .history import finding_record
from .history import state_label as _state_label
from .public import GateRefusal, findings_of, go_public, refusal_of, submit_refusal

PROFILE_FIELDS = {
    School: ["name", "short_name", "address", "website", "introduction", "photo"],
    Brand: [
        "kind",
        "name",
        "slogan",
        "logo",
        "logo_alt",
        "logo_meaning",
        "concept",
        "mechanism",
        "carriers",
        "results",
        "founded_year",
    ],
}
PICTURE_FIELDS = {"photo", "logo"}
GALLERY = "images"
REVIEW_PERMISSION = "news.approve_article"


def configured_levels():
    return SiteSettings.load().profile_review_levels


def publishes_directly(user):
    """A reviewer of the last profile level: their changes to a profile apply at once."""
    return user.has_perm(REVIEW_PERMISSION) and configured_levels() in reviewer_levels(user)


def _subject_kwargs(obj):
    return {"school": obj} if isinstance(obj, School) else {"brand": obj}


def profile_change(obj):
    """The change of ``obj`` waiting for review (or sent back), else None."""
    if obj is None or obj.pk is None:
        return None
    try:
        return obj.pending_change
    except ProfileChange.DoesNotExist:
        return None


def content_values_of(obj, gallery=None):
    """The content of ``obj`` as a ``ProfileChange`` keeps it; a brand's ``gallery`` defaults
    to its saved photos."""
    content = {}
    for name in PROFILE_FIELDS[type(obj)]:
        if name in PICTURE_FIELDS:
            # A picture just chosen is stored (prepared) now: the change keeps its name.
            picture = getattr(obj, name)
            if picture:
                picture = obj._meta.get_field(name).pre_save(obj, add=False)
            content[name] = picture.name or ""
        else:
            content[name] = getattr(obj, name)
    if isinstance(obj, Brand):
        content[GALLERY] = obj.gallery() if gallery is None else gallery
    return content


def apply_content(obj, content):
    """Put ``content`` on ``obj`` (not saved); returns the gallery it holds (or None)."""
    for name in PROFILE_FIELDS[type(obj)]:
        if name in content:
            setattr(obj, name, content[name])
    return content.get(GALLERY)


def gate_content(obj, content=None):
    """What the publication gate reads of ``obj`` with ``content`` on it."""
    if content is None:
        return obj.gate_content()
    shown = type(obj).objects.get(pk=obj.pk) if obj.pk else obj
    gallery = apply_content(shown, content)
    if isinstance(shown, Brand):
        captions = None if gallery is None else [item["caption"] for item in gallery]
        return shown.gate_content(captions=captions)
    return shown.gate_content()


def shown_in_form(obj):
    """``obj`` as its change form shows it: with the change waiting for review on it, so the
    person who made it goes on from there and a reviewer sees what they decide on."""
    change = profile_change(obj)
    if change is not None and change.content:
        apply_content(obj, change.content)
    return obj


def held_gallery(brand):
    """The gallery of the change waiting for review of ``brand``, when it has one."""
    change = profile_change(brand)
    if change is None:
        return None
    return change.content.get(GALLERY)


def is_held(obj):
    """Whether what ``obj`` shows now waits for review: a brand nobody has published yet."""
    return isinstance(obj, Brand) and obj.pk is not None and not obj.published


# --- Saving ---------------------------------------------------------------------------------


def save_refusal(obj, user, content=None, reason=""):
    """Why saving ``obj`` as it is now (or the gate ``content``, e.g. gallery captions, with
    it) is refused (None when it is not): the gate's full check when it goes public at once,
    else only what blocks (a reviewer confirms the rest)."""
    if publishes_directly(user):
        return refusal_of(findings_of(obj, content), user=user, reason=reason)
    return submit_refusal(obj, content)


def save(obj, user, content, write, *, reason="", request=None):
    """Save ``obj``, on which the form has put everything typed, with ``write(with_content)``;
    ``content`` is the profile's new content (``content_values_of``, with the gallery the form
    holds). ``write(True)`` saves the content with ``obj`` (gallery included), ``write(False)``
    only its placement. Returns the ``ProfileTransition`` of the step, or None when nothing
    new waits for review.

    * ``user`` publishes directly: the content goes public through the gate, and a change
      waiting for review is settled;
    * a brand nobody has published yet is saved as it is and (again) sent to review;
    * else the content is kept for review and the public keeps seeing ``obj`` as it was."""
    with transaction.atomic():
        change = profile_change(obj)
        if publishes_directly(user):
            comment = _("终审人员直接修改，立即生效。")
            if change is not None:
                change.delete()
                comment += _("待审的修改已一并生效。")
            if isinstance(obj, Brand):
                obj.published = True
            findings = go_public(
                obj,
                user,
                None,
                lambda: write(True),
                content=gate_content(obj, content),
                reason=reason,
                request=request,
            )
            return _record(Action.PUBLISH, obj, user, comment, request, findings=findings)
        if obj.pk is None or is_held(obj):
            waiting = (
                obj.pk is not None
                and change is not None
                and change.status in REVIEW_STATES
                and content == content_values_of(type(obj).objects.get(pk=obj.pk))
            )
            if isinstance(obj, Brand):
                obj.published = False
            write(True)
            return None if waiting else _propose(obj, user, {}, request)
        stored = type(obj).objects.get(pk=obj.pk)
        for name in PROFILE_FIELDS[type(obj)]:
            setattr(obj, name, getattr(stored, name))
        write(False)
        if content == content_values_of(stored):
            if change is not None:
                change.delete()  # everything changed back: nothing left to review
            return None
        if change is not None and change.status in REVIEW_STATES and content == change.content:
            return None
        return _propose(obj, user, content, request)


def _next_round(obj):
    last = ProfileTransition.objects.filter(**_subject_kwargs(obj)).aggregate(Max("round"))
    return (last["round__max"] or 0) + 1


def _propose(obj, user, content, request):
    change = profile_change(obj) or ProfileChange(**_subject_kwargs(obj))
    change.content = content
    change.created_by = user
    change.status = ArticleStatus.SUBMITTED
    change.review_level = 1
    change.review_levels = configured_levels()
    change.review_round = _next_round(obj)
    change.save()
    if content:
        comment = _("修改送审；网站上仍显示原内容，直到修改通过审核。")
    else:
        comment = _("新建的品牌送审；通过审核后在网站上显示。")
    return _record(Action.SUBMIT, obj, user, comment, request, change=change)


def _record(action, obj, user, comment, request, *, change=None, level=0, findings=()):
    step = ProfileTransition.objects.create(
        **_subject_kwargs(obj),
        actor=user,
        actor_name=user.get_username(),
        action=action,
        level=level or (change.review_level if change else 0),
        levels=change.review_levels if change else 0,
        round=change.review_round if change else _next_round(obj) - 1,
        comment=comment,
        findings=[finding_record(finding) for finding in findings],
    )
    audit.record(
        AuditAction.TRANSITION,
        actor=user,
        obj=obj,
        request=request,
        comment=f"{step.get_action_display()}：{comment}" if comment else step.get_action_display(),
    )
    if change is not None:
        notify_profile(step, change, request)
    return step


# --- The review rules, once -------------------------------------------------------------------


def _approved_by(user):
    steps = ProfileTransition.objects.filter(
        actor=user, action=Action.APPROVE, round=OuterRef("review_round")
    )
    return Q(Exists(steps.filter(school=OuterRef("school")))) | Q(
        Exists(steps.filter(brand=OuterRef("brand")))
    )


def _their_schools(user):
    if works_on_every_school(user):
        return Q()
    schools = School.objects.for_user(user).values("pk")
    return Q(school__in=schools) | Q(brand__school__in=schools)


@dataclass(frozen=True)
class Guard:
    name: str
    condition: object  # (user, levels) → Q on ProfileChange rows
    refusal: object  # (change, user) → str


def _their_level_refusal(change, user):
    return _("这份资料正在等待第%(level)d级（%(name)s）审核，您没有被分配这一级。") % {
        "level": change.review_level,
        "name": level_name(change.review_level, change.review_levels),
    }


PROFILE_GUARDS = [
    Guard(
        "in_review",
        lambda user, levels: Q(status__in=REVIEW_STATES),
        lambda change, user: _("这份资料的修改现在不在审核中。"),
    ),
    Guard(
        "their_school",
        lambda user, levels: _their_schools(user),
        lambda change, user: _("这份资料不属于您负责的学校。"),
    ),
    Guard("their_level", lambda user, levels: Q(review_level__in=levels), _their_level_refusal),
    Guard(
        "not_their_own",
        lambda user, levels: ~Q(created_by=user),
        lambda change, user: _("不能审核自己修改的资料。"),
    ),
    Guard(
        "one_level_each",
        lambda user, levels: ~_approved_by(user),
        lambda change, user: _("您已审核通过这份资料的另一级，同一人不能审核同一修改的两级。"),
    ),
]


def awaiting_review(user):
    """The profile changes waiting for ``user``'s decision, who waited longest first."""
    changes = ProfileChange.objects.all()
    levels = reviewer_levels(user)
    if not (user.has_perm(REVIEW_PERMISSION) and levels):
        return changes.none()
    conditions = [guard.condition(user, levels) for guard in PROFILE_GUARDS]
    return changes.filter(*conditions).order_by("updated_at", "pk")


def review_refusal(change, user):
    """Why ``user`` may not approve or send back ``change`` now (None when they may)."""
    if change is None:
        return _("这份资料没有待审核的修改。")
    if not user.has_perm(REVIEW_PERMISSION):
        return _("您没有审核权限。")
    levels = reviewer_levels(user)
    holds = {
        guard.name: Exists(
            ProfileChange.objects.filter(guard.condition(user, levels), pk=OuterRef("pk"))
        )
        for guard in PROFILE_GUARDS
    }
    row = ProfileChange.objects.filter(pk=change.pk).annotate(**holds).values(*holds).first()
    for guard in PROFILE_GUARDS:
        if not (row or {}).get(guard.name):
            return guard.refusal(change, user)
    return None


# --- The review steps -------------------------------------------------------------------------


class ReviewError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _locked_change(change):
    try:
        return ProfileChange.objects.select_for_update().get(pk=change.pk)
    except ProfileChange.DoesNotExist:
        raise ReviewError(_("这份修改已经处理过了。")) from None


def approve(change, user, comment="", *, reason="", request=None):
    """审核通过: on to the next level, or, at the last level, the change goes public through
    the gate (a finding that needs confirmation passes with ``reason``)."""
    with transaction.atomic():
        change = _locked_change(change)
        refusal = review_refusal(change, user)
        if refusal:
            raise ReviewError(refusal)
        obj = type(change.subject).objects.select_for_update().get(pk=change.subject.pk)
        level = change.review_level
        if level < change.review_levels:
            findings = findings_of(obj, gate_content(obj, change.content or None))
            blocked = submit_refusal(obj, findings=findings)
            if blocked:
                raise ReviewError(blocked)
            change.review_level += 1
            change.status = ArticleStatus.IN_REVIEW
            change.save()
            return _record(Action.APPROVE, obj, user, comment, request, change=change, level=level)
        shown = gate_content(obj, change.content or None)
        gallery = apply_content(obj, change.content) if change.content else None
        try:
            obj.validate_constraints()
        except ValidationError as error:
            raise ReviewError("；".join(error.messages)) from None
        if isinstance(obj, Brand):
            obj.published = True

        def write():
            obj.save()
            if gallery is not None:
                obj.replace_gallery(gallery)

        try:
            findings = go_public(
                obj, user, None, write, content=shown, reason=reason, request=request
            )
        except GateRefusal as refused:
            raise ReviewError(refused.message) from None
        step = _record(
            Action.APPROVE,
            obj,
            user,
            comment or _("审核通过，已在网站上生效。"),
            request,
            change=change,
            level=level,
            findings=findings,
        )
        change.delete()
        return step


def reject(change, user, comment, *, request=None):
    """退回 (with the reason): back to the person who made the change, who edits it again."""
    if not comment.strip():
        raise ReviewError(_("退回时请填写退回意见，告诉修改人需要怎样修改。"))
    with transaction.atomic():
        change = _locked_change(change)
        refusal = review_refusal(change, user)
        if refusal:
            raise ReviewError(refusal)
        level = change.review_level
        change.status = ArticleStatus.REJECTED
        change.save()
        return _record(
            Action.REJECT,
            change.subject,
            user,
            comment.strip(),
            request,
            change=change,
            level=level,
        )


def standing_rejection(obj):
    """The 退回 the person who made the change has to answer now, else None."""
    change = profile_change(obj)
    if change is None or change.status != ArticleStatus.REJECTED:
        return None
    return history(obj).filter(action=Action.REJECT, round=change.review_round).last()


def differences(obj, change):
    """What ``change`` changes of ``obj`` as the public sees it: (label, before, after) of
    each content field, and the galleries (before, after) when they differ."""
    if not change.content:
        return [], None
    fields = []
    before = content_values_of(obj)
    for name in PROFILE_FIELDS[type(obj)]:
        if name in change.content and change.content[name] != before[name]:
            field = obj._meta.get_field(name)
            fields.append((field.verbose_name, before[name], change.content[name], name))
    galleries = None
    if GALLERY in change.content and change.content[GALLERY] != before.get(GALLERY):
        galleries = (before[GALLERY], change.content[GALLERY])
    return fields, galleries


def state_label(change):
    """“待审核（第1级/共1级·终审）” or “退回”: where ``change`` stands."""
    return _state_label(change.status, change.review_level, change.review_levels)


def history(obj):
    """The 审核记录 of ``obj``, oldest first."""
    return ProfileTransition.objects.filter(**_subject_kwargs(obj)).select_related("actor")
