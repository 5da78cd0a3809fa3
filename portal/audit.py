"""The audit log: one function that records, and the signal receivers that call it.

Everything that must leave a trace calls ``record()``: the login signals and user, group and
permission changes below, admin deletions, and the editorial workflow in ``news``. Rows are
append-only (see ``AuditLogEntry``).

A small middleware keeps the current request in a context variable, so that receivers of model
signals, which are not given the request, still know who acted and from which address.
"""

import contextvars
import ipaddress

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import actions as admin_actions
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .models import _EXTRA_AUDIT_ACTIONS, AuditAction, AuditLogEntry, audit_action_choices

_current_request = contextvars.ContextVar("audit_current_request", default=None)
# Set while the site-wide bulk delete action runs: it records the deletions itself.
_in_bulk_delete = contextvars.ContextVar("audit_in_bulk_delete", default=False)


def register_action(code, label):
    """Add an action to the log's vocabulary, e.g. ``register_action("approve", _("审核通过"))``.

    Call it from an ``AppConfig.ready()``. No migration is needed.
    """
    if code in AuditAction.values:
        raise ValueError(f"{code!r} is a built-in audit action")
    if len(code) > AuditLogEntry._meta.get_field("action").max_length:
        raise ValueError(f"audit action code {code!r} is too long")
    _EXTRA_AUDIT_ACTIONS[code] = label


def known_actions():
    return {code for code, _label in audit_action_choices()}


class AuditRequestMiddleware:
    """Make the current request available to ``record()`` called from signal receivers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the address our own proxy put last in
    X-Forwarded-For when ``AUDIT_TRUST_X_FORWARDED_FOR`` is on. None when it is not an IP."""
    if request is None:
        return None
    candidates = []
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        # The proxy appends the address it saw; earlier entries come from the client and can lie.
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidates.append(hops[-1])
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _limit(value, field_name):
    return str(value)[: AuditLogEntry._meta.get_field(field_name).max_length]


def record(
    action,
    *,
    actor=None,
    obj=None,
    request=None,
    from_state="",
    to_state="",
    comment="",
    username="",
    content_type=None,
    object_id="",
    object_repr="",
):
    """Write one audit log row and return it.

    ``actor`` defaults to the request's user; ``request`` defaults to the request being served.
    ``username`` names the actor when there is no user object (a failed login).
    ``content_type``/``object_id``/``object_repr`` describe an object that no longer exists;
    otherwise pass ``obj``.
    """
    if action not in known_actions():
        raise ValueError(f"unknown audit action {action!r}; register it with register_action()")
    if request is None:
        request = _current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    if actor is not None:
        username = actor.get_username()
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj)
        object_id = str(obj.pk) if obj.pk is not None else ""
        object_repr = str(obj)
    return AuditLogEntry.objects.create(
        actor=actor,
        actor_username=_limit(username, "actor_username"),
        action=action,
        content_type=content_type,
        object_id=_limit(object_id, "object_id"),
        object_repr=_limit(object_repr, "object_repr"),
        from_state=_limit(from_state, "from_state"),
        to_state=_limit(to_state, "to_state"),
        comment=str(comment),
        ip_address=client_ip(request),
    )


# --- Logins ----------------------------------------------------------------------------------


def _on_login(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, actor=user, request=request)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the name tried; Django has already masked the password, and we never store it.
    username_field = get_user_model().USERNAME_FIELD
    attempted = credentials.get(username_field) or credentials.get("username") or ""
    record(
        AuditAction.LOGIN_FAILED,
        request=request,
        username=attempted,
        comment="登录失败：用户名或密码错误",
    )


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    record(
        "login_locked",
        request=request,
        username=username or "",
        comment=f"连续 {settings.AXES_FAILURE_LIMIT} 次登录失败，用户名与地址已被锁定",
    )


def _on_logout(sender, request, user, **kwargs):
    record(AuditAction.LOGOUT, actor=user, request=request)


# --- Users -----------------------------------------------------------------------------------

# Fields whose change is about what the user may do: recorded as a permission change.
_PRIVILEGE_FIELDS = {"is_staff", "is_superuser", "is_active"}
# Written on every login; not a change anybody made to the account.
_IGNORED_USER_FIELDS = {"last_login"}


def _yes_no(value):
    return "是" if value else "否"


def snapshot_before_save(sender, instance, raw=False, **kwargs):
    """A pre_save receiver: keeps the stored row as ``instance._audit_before`` for the
    post_save receiver that describes the change (pop it there)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).first()


def _describe_user_changes(before, after):
    parts = []
    for field in after._meta.concrete_fields:
        if field.primary_key or field.name in _IGNORED_USER_FIELDS:
            continue
        old, new = field.value_from_object(before), field.value_from_object(after)
        if old == new:
            continue
        label = str(field.verbose_name)
        if field.name == "password":
            parts.append("密码已修改")
        elif isinstance(new, bool):
            parts.append(f"{label}：{_yes_no(old)} → {_yes_no(new)}")
        else:
            parts.append(label)
    return parts


def _mark_raw(instance):
    """Loading a fixture or a test database snapshot is not somebody's change: mark the
    instance so that the m2m receivers, which are not told about raw saves, stay quiet too."""
    instance._audit_raw = True


def _on_user_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        _mark_raw(instance)
        return
    if update_fields is not None and set(update_fields) <= _IGNORED_USER_FIELDS:
        return
    if created:
        flags = [
            str(instance._meta.get_field(name).verbose_name)
            for name in ("is_staff", "is_superuser")
            if getattr(instance, name, False)
        ]
        comment = f"创建用户 {instance.get_username()}"
        if flags:
            comment += "（" + "、".join(flags) + "）"
        record(AuditAction.USER_CHANGE, obj=instance, comment=comment)
        return
    before = instance.__dict__.pop("_audit_before", None)
    if before is None:
        return
    parts = _describe_user_changes(before, instance)
    if not parts:
        return
    changed = {
        f.name
        for f in instance._meta.concrete_fields
        if f.value_from_object(before) != f.value_from_object(instance)
    }
    action = (
        AuditAction.PERMISSION_CHANGE if changed & _PRIVILEGE_FIELDS else AuditAction.USER_CHANGE
    )
    record(action, obj=instance, comment="修改用户：" + "；".join(parts))


def _on_user_deleted(sender, instance, **kwargs):
    record(AuditAction.USER_CHANGE, obj=instance, comment=f"删除用户 {instance.get_username()}")


# --- Groups and permissions ------------------------------------------------------------------


def _on_group_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        _mark_raw(instance)
        return
    if created:
        record(AuditAction.PERMISSION_CHANGE, obj=instance, comment=f"创建用户组 {instance.name}")
        return
    before = instance.__dict__.pop("_audit_before", None)
    if before is not None and before.name != instance.name:
        record(
            AuditAction.PERMISSION_CHANGE,
            obj=instance,
            comment=f"用户组改名：{before.name} → {instance.name}",
        )


def _on_group_deleted(sender, instance, **kwargs):
    record(AuditAction.PERMISSION_CHANGE, obj=instance, comment=f"删除用户组 {instance.name}")


def _item_label(item):
    if isinstance(item, Permission):
        return f"{item.content_type.app_label}.{item.codename}"
    return str(item)


class _MembershipAudit:
    """Records m2m changes of one relation as permission changes of the holder.

    holder: the user or group whose rights change; item: the group or permission added/removed.
    """

    def __init__(self, through, holder_model, item_model, added, removed):
        self.through = through
        self.holder_model = holder_model
        self.item_model = item_model
        self.added = added
        self.removed = removed
        self.holder_fk = self._fk_to(holder_model)
        self.item_fk = self._fk_to(item_model)

    def _fk_to(self, model):
        for field in self.through._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                return field.attname
        raise LookupError(f"{self.through} has no key to {model}")

    def __call__(self, sender, instance, action, reverse, model, pk_set, **kwargs):
        if getattr(instance, "_audit_raw", False):
            return
        instance_fk = self.item_fk if reverse else self.holder_fk
        other_fk = self.holder_fk if reverse else self.item_fk
        if action == "pre_clear":
            instance._audit_cleared = set(
                self.through._default_manager.filter(**{instance_fk: instance.pk}).values_list(
                    other_fk, flat=True
                )
            )
            return
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_audit_cleared", set())
        elif action not in ("post_add", "post_remove"):
            return
        if not pk_set:
            return
        verb = self.added if action == "post_add" else self.removed
        others = model._base_manager.filter(pk__in=pk_set)
        if model is Permission:
            others = others.select_related("content_type")
        if reverse:
            # instance is the group/permission; each holder gets its own row.
            for holder in others:
                record(
                    AuditAction.PERMISSION_CHANGE,
                    obj=holder,
                    comment=f"{verb}：{_item_label(instance)}",
                )
        else:
            items = "、".join(sorted(_item_label(item) for item in others))
            record(AuditAction.PERMISSION_CHANGE, obj=instance, comment=f"{verb}：{items}")


# --- Admin deletions -------------------------------------------------------------------------


def _on_admin_log_entry(sender, instance, created, raw=False, **kwargs):
    """The admin writes a LogEntry before it deletes an object: that covers every app."""
    if raw or not created or instance.action_flag != DELETION or _in_bulk_delete.get():
        return
    record(
        AuditAction.DELETE,
        actor=instance.user,
        content_type=instance.content_type,
        object_id=instance.object_id,
        object_repr=instance.object_repr,
        comment="在管理后台删除",
    )


@admin.action(
    permissions=["delete"],
    description=admin_actions.delete_selected.short_description,
)
def audited_delete_selected(modeladmin, request, queryset):
    """The admin's "delete selected" action, recording each deleted object in the audit log.

    Django logs several deletions with ``bulk_create``, which sends no ``post_save``; so the
    site-wide action records them itself (and the LogEntry receiver stands aside meanwhile).
    """
    targets = []
    if request.method == "POST" and request.POST.get("post"):
        targets = [
            (
                ContentType.objects.get_for_model(obj, for_concrete_model=False),
                str(obj.pk),
                str(obj),
            )
            for obj in queryset
        ]
    token = _in_bulk_delete.set(True)
    try:
        response = admin_actions.delete_selected(modeladmin, request, queryset)
    finally:
        _in_bulk_delete.reset(token)
    if response is None:
        # None means the deletion went through (a refusal returns a page or raises).
        for content_type, object_id, object_repr in targets:
            record(
                AuditAction.DELETE,
                request=request,
                content_type=content_type,
                object_id=object_id,
                object_repr=object_repr,
                comment="在管理后台批量删除",
            )
    return response


def connect():
    """Connect the receivers; called once from PortalConfig.ready()."""
    User = get_user_model()
    uid = "portal.audit"
    user_logged_in.connect(_on_login, dispatch_uid=f"{uid}.login")
    user_login_failed.connect(_on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_logged_out.connect(_on_logout, dispatch_uid=f"{uid}.logout")
    user_locked_out.connect(_on_locked_out, dispatch_uid=f"{uid}.locked_out")

    pre_save.connect(snapshot_before_save, sender=User, dispatch_uid=f"{uid}.user_pre")
    post_save.connect(_on_user_saved, sender=User, dispatch_uid=f"{uid}.user_saved")
    post_delete.connect(_on_user_deleted, sender=User, dispatch_uid=f"{uid}.user_deleted")
    pre_save.connect(snapshot_before_save, sender=Group, dispatch_uid=f"{uid}.group_pre")
    post_save.connect(_on_group_saved, sender=Group, dispatch_uid=f"{uid}.group_saved")
    post_delete.connect(_on_group_deleted, sender=Group, dispatch_uid=f"{uid}.group_deleted")

    relations = [
        (User.groups.through, User, Group, "加入用户组", "移出用户组"),
        (User.user_permissions.through, User, Permission, "授予权限", "撤销权限"),
        (Group.permissions.through, Group, Permission, "授予权限", "撤销权限"),
    ]
    for through, holder, item, added, removed in relations:
        m2m_changed.connect(
            _MembershipAudit(through, holder, item, added, removed),
            sender=through,
            weak=False,
            dispatch_uid=f"{uid}.m2m.{through._meta.label_lower}",
        )

    post_save.connect(_on_admin_log_entry, sender=LogEntry, dispatch_uid=f"{uid}.admin_log")
    admin.site.add_action(audited_delete_selected, "delete_selected")
