"""The rules of ``news.roles`` that hold outside the admin too, connected by NewsConfig.ready():
no account joins a second separated role, whatever code adds it (a script, the shell, a
fixture), and every reviewer level given or taken is in the audit log, with who and whom."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from portal import audit
from portal.models import AuditAction

from .models import ReviewerAssignment
from .roles import SEPARATED_ROLES, separation_refusal


def _guard_separation(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # instance is the group, pk_set the users joining it.
        if instance.name not in SEPARATED_ROLES:
            return
        joining = model._base_manager.filter(pk__in=pk_set).prefetch_related("groups")
        held = [{instance.name, *(group.name for group in user.groups.all())} for user in joining]
    else:
        joined = model._base_manager.filter(pk__in=pk_set).values_list("name", flat=True)
        held = [{*instance.groups.values_list("name", flat=True), *joined}]
    for names in held:
        refusal = separation_refusal(names)
        if refusal:
            raise ValidationError(refusal)


def _record_level(assignment, verb):
    audit.record(
        AuditAction.PERMISSION_CHANGE,
        obj=assignment.user,
        comment=f"{verb}：{assignment.get_level_display()}",
    )


def _on_level_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_audit_before", None)
    if before is not None:
        if (before.user_id, before.level) == (instance.user_id, instance.level):
            return
        _record_level(before, "撤销审核级别")
    _record_level(instance, "授予审核级别")


def _on_level_deleted(sender, instance, **kwargs):
    _record_level(instance, "撤销审核级别")


def connect():
    uid = "news.role_guards"
    m2m_changed.connect(
        _guard_separation,
        sender=get_user_model().groups.through,
        dispatch_uid=f"{uid}.separation",
    )
    pre_save.connect(
        audit.snapshot_before_save, sender=ReviewerAssignment, dispatch_uid=f"{uid}.level_pre"
    )
    post_save.connect(_on_level_saved, sender=ReviewerAssignment, dispatch_uid=f"{uid}.level")
    post_delete.connect(
        _on_level_deleted, sender=ReviewerAssignment, dispatch_uid=f"{uid}.level_deleted"
    )
