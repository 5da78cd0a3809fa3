"""The admin page where a reviewer decides on a change to a school's profile or a brand: what
changes (field by field, the gallery before and after), the publication gate's findings, the
审核记录, and 审核通过 / 退回. The rules are the workflow's (``news.workflow.profiles``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from news.workflow import CONFIRM_PERMISSION, profiles
from news.workflow.public import findings_of
from portal.gate import Level

from .models import BrandImage


def _picture(model, field_name, name):
    """The stored picture ``name`` as a value of ``model``'s field (its renditions are that
    field's), or None."""
    return getattr(model(**{field_name: name}), field_name) if name else None


def _gallery(items):
    return [{**item, "picture": _picture(BrandImage, "image", item["image"])} for item in items]


def _field_row(model, label, before, after, name):
    if name not in profiles.PICTURE_FIELDS:
        return {"label": label, "before": before, "after": after, "is_picture": False}
    return {
        "label": label,
        "before": _picture(model, name, before),
        "after": _picture(model, name, after),
        "is_picture": True,
    }


def _change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def review_url(change):
    opts = change.subject._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[change.subject.pk])


def review_page(model_admin, request, obj):
    user = request.user
    may_see = model_admin.get_queryset(request).filter(pk=obj.pk).exists()
    if not (user.has_perm(profiles.REVIEW_PERMISSION) or may_see):
        raise PermissionDenied
    change = profiles.profile_change(obj)
    if change is None:
        messages.info(request, _("“%(name)s”没有待审核的修改。") % {"name": obj})
        return redirect(_change_url(obj))
    typed = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        done = _decide(request, change, typed)
        if done is not None:
            return done
    fields, galleries = profiles.differences(obj, change)
    findings = findings_of(obj, profiles.gate_content(obj, change.content or None))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": obj._meta,
        "title": _("审核：%(name)s") % {"name": obj},
        "subtitle": None,
        "obj": obj,
        "change": change,
        "state": profiles.state_label(change),
        "is_new": not change.content,
        "fields": [_field_row(type(obj), *field) for field in fields],
        "galleries": [_gallery(items) for items in galleries] if galleries else None,
        "new_gallery": _gallery(obj.gallery()) if not change.content else None,
        "findings": findings,
        "needs_reason": user.has_perm(CONFIRM_PERMISSION)
        and any(finding.level == Level.CONFIRM for finding in findings),
        "refusal": profiles.review_refusal(change, user),
        "history": list(profiles.history(obj)),
        "change_url": _change_url(obj),
        "comment": typed.get("comment", ""),
        "gate_reason": typed.get("gate_reason", ""),
    }
    return TemplateResponse(request, "admin/brands/profile_review.html", context)


def _decide(request, change, typed):
    """Take the step the reviewer chose; a response when it was taken, else None (the page
    comes back with what they typed and the reason in a message)."""
    user = request.user
    obj = change.subject
    action = typed.get("decision")
    comment = typed.get("comment", "")
    try:
        if action == "approve":
            step = profiles.approve(
                change, user, comment, reason=typed.get("gate_reason", ""), request=request
            )
        elif action == "reject":
            step = profiles.reject(change, user, comment, request=request)
        else:
            messages.error(request, _("请选择“审核通过”或“退回”。"))
            return None
    except profiles.ReviewError as error:
        messages.error(request, _("没有完成：%(reason)s") % {"reason": error.message})
        return None
    link = format_html('<a href="{}">{}</a>', _change_url(obj), obj)
    following = profiles.awaiting_review(user).exclude(pk=change.pk).first()
    done = format_html(_("“{}”：{}。"), link, step.get_action_display())
    if following is None:
        messages.success(request, format_html("{}{}", done, _("待审核的资料已全部处理。")))
        return redirect(reverse("admin:index"))
    messages.success(
        request, format_html("{}{}", done, format_html(_("下一份：{}"), following.subject))
    )
    return redirect(review_url(following))
