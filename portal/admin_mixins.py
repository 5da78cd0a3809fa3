"""Mixins shared by the apps' ModelAdmins."""

import hashlib
import json
import re
from urllib.parse import urlencode

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, router, transaction
from django.forms.models import _get_foreign_key
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.fields import CKEditor5Field
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion_compare.admin import CompareVersionAdmin
from reversion_compare.compare import CompareObjects
from reversion_compare.helpers import html_diff
from taggit.managers import TaggableManager

from . import audit
from .held_uploads import closing_held_files, with_held_uploads
from .models import AuditAction
from .revisions import changes_since, latest_version, save_snapshot


class HeldUploadsAdminMixin:
    """Files chosen on a refused form stay chosen (``portal.held_uploads``), in the form and in
    every inline; the change form lists the errors at the top with links to their fields."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-forms.css"]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        return with_held_uploads(super().get_form(request, obj, change=change, **kwargs))

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            form = with_held_uploads(formset.form)
            yield type(formset.__name__, (formset,), {"form": form}), inline

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with closing_held_files():
            return super().changeform_view(request, object_id, form_url, extra_context)


class LocalDraftAdminMixin:
    """Keep an unsaved copy of the change form in the browser, so typed text survives a crash.

    ``static/js/admin-draft.js`` saves the form's fields to localStorage while the user types
    and, when the form is opened again with different values (a closed tab, an expired login, a
    crash), offers "恢复未保存的内容". The draft is removed once the admin confirms the save.

    Put the mixin before ``admin.ModelAdmin``::

        class ArticleAdmin(LocalDraftAdminMixin, admin.ModelAdmin):
            local_draft_version_field = "updated_at"

    ``local_draft_version_field`` names a field that changes on every save; when set, a draft
    made before somebody else saved the object is still offered, with a warning to compare.
    """

    local_draft_version_field = None

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/admin-draft.js"], css={"all": ["css/admin-draft.css"]}
        )

    def get_local_draft_config(self, request, obj=None):
        """What the script needs: a storage key for this user and form, and the object's
        version. None turns the draft off (a read-only form has nothing to lose)."""
        if obj is None:
            if not self.has_add_permission(request):
                return None
        elif not self.has_change_permission(request, obj):
            return None
        version = ""
        if obj is not None and self.local_draft_version_field:
            value = getattr(obj, self.local_draft_version_field, None)
            if value is not None:
                version = value.isoformat() if hasattr(value, "isoformat") else str(value)
        # One draft per user and form URL: a shared office computer never offers one
        # colleague's text to another.
        return {"key": f"admin-draft:{request.user.pk}:{request.path}", "version": version}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["local_draft"] = self.get_local_draft_config(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- Nothing lost: revisions, compare, restore, recover, edit conflicts ------------------------

# Block-level closing tags after which a rich-text diff starts a new line.
_BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|ul|ol|blockquote|figure|table|tr|pre)>|<br\s*/?>)", re.IGNORECASE
)


def _person(user):
    if user is None:
        return str(_("（未记录的用户）"))
    name = user.get_full_name().strip()
    username = user.get_username()
    return f"{name}（{username}）" if name and name != username else username


def _version_id(text):
    return int(text) if text.isdigit() else None


def _when(moment):
    return date_format(timezone.localtime(moment), "Y年n月j日 H:i")


class NoLostEditsAdminMixin(HeldUploadsAdminMixin, LocalDraftAdminMixin, CompareVersionAdmin):
    """Everything an editor needs so that no edit is lost or silently overwritten.

    Put it first in the bases; the ModelAdmin changes nothing else::

        class ArticleAdmin(NoLostEditsAdminMixin, admin.ModelAdmin): ...
        class SchoolAdmin(NoLostEditsAdminMixin, ImportExportModelAdmin): ...

    What it adds:

    - **Revisions** (django-reversion's ``VersionAdmin``): every save through the admin is a
      revision with the user and the admin's change message as comment (saves elsewhere in
      the admin are caught by ``portal.revisions.AdminRevisionMiddleware``). The model must be
      registered with ``reversion.register`` in its app's ``ready()``.
    - **History, compare, restore** (django-reversion-compare's ``CompareVersionAdmin``): 历史
      lists the revisions, newest first; any two can be compared (rich text is diffed block by
      block); opening a revision and saving it restores it as a new revision.
    - **Recover deleted objects**: a snapshot revision is written just before each deletion, so
      "恢复已删除的…" on the list page can bring back anything deleted, with its inlines. Only
      users who may delete may recover (a recovered object may belong to anyone).
    - Restores and recoveries are written to the audit log (``restore``).
    - The **local draft** of ``LocalDraftAdminMixin``.
    - **Held uploads** (``HeldUploadsAdminMixin``): a refused form keeps the files chosen.
    - **Optimistic locking**, see below.

    Optimistic locking: a content fingerprint, not a version column
    ----------------------------------------------------------------
    The change form carries a hidden ``_edit_lock`` token: the id of the object's latest
    revision and a hash of everything the admin can edit (its editable fields, many-to-many
    links and the rows of its inlines). On save the hash is taken again from the database,
    with the row locked (``SELECT … FOR UPDATE``); if it differs, the save is refused with a
    form error naming who saved in between and when (from the revisions after the one the
    form was opened at), and the form comes back with the user's own text in it, with a link
    comparing the versions.

    The refusal holds: the re-rendered form keeps the token it was opened at, so a second
    plain 保存 is refused again. It also carries ``_edit_lock_seen``, the token of the version
    the refusal showed, and two buttons that send ``_edit_lock_resolution``: ``merge`` (the
    user merged the other changes into the form by hand) and ``overwrite`` (the revision
    comment names whose changes were overwritten). Either is checked against the seen token,
    so a third save in the meantime is refused in turn.

    Why not django-concurrency: its version field is checked inside ``Model.save()``, so every
    save anywhere must hold a fresh instance: the workflow's own transition saves, import-export
    rows and django-reversion's restore (which writes the *old* version number back and must
    be wrapped in ``disable_concurrency``) would all fail or need exemptions; its admin
    integration is built around its own ``ConcurrentModelAdmin`` and list_editable, and a
    conflict ends in an exception, not in a form that keeps the user's text.

    Why not our own integer version field: it needs a column and a migration on four models
    in two apps, it misses changes that do not go through ``save()`` (``QuerySet.update()``,
    inline rows, many-to-many links), and a restore writes an old number back (the same
    number can then mean two different contents). The fingerprint needs no schema change,
    sees every path that changes what the form shows, and cannot repeat a version number.
    Its blind spot is a change that is undone before the save (A→B→A): nothing of the user's
    is lost then, and the revisions keep B. Fields the admin cannot edit (view counts,
    timestamps) are not in the hash, so a reader raising the view count causes no conflict.

    A POST without the token (a script, a test client) is not checked; every form the admin
    renders carries it. Restoring a revision is an explicit overwrite and is not checked.
    """

    edit_lock_field = "_edit_lock"
    edit_lock_seen_field = "_edit_lock_seen"
    edit_lock_resolution_field = "_edit_lock_resolution"
    # Reverse relations (besides the inlines) whose rows the change form edits, e.g. content
    # waiting for review that the form shows instead of the stored one.
    edit_lock_related = ()
    change_list_template = "admin/portal/change_list_recover.html"

    # --- optimistic locking ----------------------------------------------------------------

    def get_edit_lock_state(self, obj):
        """What the admin can change on ``obj``, as JSON-able values. Override to add more
        (e.g. pending content stored elsewhere)."""
        state = {}
        for field in obj._meta.concrete_fields:
            if field.editable and not field.primary_key:
                state[field.attname] = field.value_to_string(obj)
        for field in obj._meta.many_to_many:
            if field.editable:
                related = getattr(obj, field.name).all()
                state[field.name] = sorted(str(item.pk) for item in related)
        for model, fk in self._edited_relations():
            rows = model._base_manager.filter(**{fk.name: obj}).order_by("pk")
            state[f"related:{model._meta.label_lower}:{fk.name}"] = [
                [str(row.pk)]
                + [
                    f.value_to_string(row)
                    for f in row._meta.concrete_fields
                    if f.editable and not f.primary_key and f is not fk
                ]
                for row in rows
            ]
        return state

    def _edited_relations(self):
        """(model, foreign key to self.model) of the inlines and of ``edit_lock_related``."""
        relations = [
            (inline.model, _get_foreign_key(self.model, inline.model, fk_name=inline.fk_name))
            for inline in self.inlines
        ]
        for name in self.edit_lock_related:
            relation = self.model._meta.get_field(name)
            relations.append((relation.related_model, relation.field))
        return relations

    def get_edit_lock_fingerprint(self, obj):
        data = json.dumps(self.get_edit_lock_state(obj), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:32]

    def _current(self, obj, lock=False):
        """``obj`` as the database has it now (all columns; row locked when asked)."""
        queryset = self.model._base_manager.filter(pk=obj.pk)
        using = router.db_for_write(self.model, instance=obj)
        if lock and transaction.get_connection(using).in_atomic_block:
            queryset = queryset.select_for_update()
        return queryset.using(using).first()

    def get_edit_lock_token(self, request, obj):
        """``<latest revision id>:<fingerprint>`` of the stored ``obj``; cached per request."""
        cache = request.__dict__.setdefault("_edit_lock_tokens", {})
        key = (self.model._meta.label_lower, str(obj.pk))
        if key not in cache:
            current = self._current(obj)
            if current is None:
                return ""
            version = latest_version(current)
            fingerprint = self.get_edit_lock_fingerprint(current)
            cache[key] = f"{version.pk if version else ''}:{fingerprint}"
        return cache[key]

    def _lock_checked(self, request):
        return not (
            request.method != "POST"
            or getattr(request, "_no_lost_edits_restore", None)
            or "_saveasnew" in request.POST
        )

    def _edit_lock_state(self, request):
        """Per request: the token the check compares with, what the refusal showed, and
        whose changes an overwrite replaces."""
        return request.__dict__.setdefault("_edit_lock_state", {})

    def find_edit_conflict(self, request, obj):
        """The conflict message when ``obj`` changed since the version the user last saw
        (the one the form was opened at, or, with 合并后保存 / 以我的版本覆盖, the one a
        refusal showed), else None."""
        submitted = request.POST.get(self.edit_lock_field)
        if not submitted or obj is None or obj.pk is None:
            return None
        resolution = request.POST.get(self.edit_lock_resolution_field)
        seen = request.POST.get(self.edit_lock_seen_field)
        resolving = bool(seen) and resolution in {"merge", "overwrite"}
        checked = seen if resolving else submitted
        checked_version, _sep, checked_fingerprint = checked.partition(":")
        current = self._current(obj, lock=True)
        if current is None:
            return None
        state = self._edit_lock_state(request)
        if self.get_edit_lock_fingerprint(current) == checked_fingerprint:
            if resolving and resolution == "overwrite":
                opened_version = submitted.partition(":")[0]
                state["overwritten"] = self._who_changed(
                    current, changes_since(current, _version_id(opened_version))
                )
            return None
        state["seen"] = True
        since = _version_id(checked_version)
        changes = changes_since(current, since)
        return self.edit_conflict_message(request, current, changes, since)

    def _who_changed(self, obj, changes):
        if changes:
            who = "、".join(
                f"{_person(version.revision.user)} 于 {_when(version.revision.date_created)}"
                for version in changes[-3:]
            )
            if len(changes) > 3:
                who = _("%(count)d 次修改，最近是 ") % {"count": len(changes)} + who
            return who
        updated = getattr(obj, "updated_at", None)
        return _("其他用户") + (f" 于 {_when(updated)}" if updated else "")

    def edit_conflict_message(self, request, obj, changes, opened_version_id):
        who = self._who_changed(obj, changes)
        opts = self.model._meta
        link_url = reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
            args=[quote(obj.pk)],
        )
        link_text = _("查看修改记录")
        if changes and opened_version_id:
            link_url += "compare/?" + urlencode(
                {"version_id1": opened_version_id, "version_id2": changes[-1].pk}
            )
            link_text = _("对比您打开时的版本和对方保存的版本")
        return format_html(
            "保存失败：您打开这个表单之后，{} 修改并保存了{}“{}”。为免覆盖对方的修改，"
            '您这次的修改没有保存。下面的表单保留了您填写的内容：请<a href="{}" target="_blank" '
            'rel="noopener">{}</a>（在新窗口打开），然后在表单底部选择：把对方的修改合并进来后'
            "点击“合并后保存”，或者点击“以我的版本覆盖”（修改记录会写明覆盖了对方的修改）。"
            "再点“保存”仍会被拒绝。",
            who,
            opts.verbose_name,
            obj,
            link_url,
            link_text,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not change or obj is None or not self._lock_checked(request):
            return form_class
        model_admin = self

        class EditLockedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                conflict = model_admin.find_edit_conflict(request, self.instance)
                if conflict:
                    raise ValidationError(conflict, code="edit_conflict")
                return cleaned_data

        EditLockedForm.__name__ = form_class.__name__
        EditLockedForm.__qualname__ = form_class.__qualname__
        return EditLockedForm

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and not add:
            # From the database, not ``obj``: after a refused save ``obj`` holds the user's
            # input, and the seen token must describe what is stored now.
            current = self.get_edit_lock_token(request, obj)
            submitted = request.POST.get(self.edit_lock_field) if request.method == "POST" else ""
            seen = request.POST.get(self.edit_lock_seen_field) if submitted else ""
            if self._edit_lock_state(request).get("seen"):
                seen = current
            context["edit_lock"] = {
                "name": self.edit_lock_field,
                # A refused form keeps the version it was opened at: only an explicit
                # choice, checked against ``seen``, may save over the other changes.
                "token": submitted or current,
                "seen_name": self.edit_lock_seen_field,
                "seen": seen,
                "resolution_name": self.edit_lock_resolution_field,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_local_draft_config(self, request, obj=None):
        config = super().get_local_draft_config(request, obj)
        if config and obj is not None and obj.pk is not None and not self.local_draft_version_field:
            # Any save, by anyone, changes the fingerprint: an older draft gets the warning.
            config["version"] = self.get_edit_lock_token(request, obj).partition(":")[2]
        return config

    # --- restore and recover ---------------------------------------------------------------

    def _visible(self, request, pk):
        return self.get_queryset(request).filter(pk=pk).first()

    def _guarded_restore(self, request, version, kind, view, *args):
        """Run reversion's revision/recover view, refusing what the user may not change.

        django-reversion reverts before the change form checks anything; a form that then
        finds no object (filtered out for this user) redirects, and reversion keeps the revert.
        So the result is checked here, inside a transaction that a refusal rolls back.
        """
        request._no_lost_edits_restore = (kind, version)
        using = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=using):
                response = view(request, *args)
                if request.method == "POST" and response.status_code == 302:
                    exists = self.model._base_manager.filter(pk=version.object_id).exists()
                    obj = self._visible(request, version.object_id)
                    if exists and (obj is None or not self.has_change_permission(request, obj)):
                        raise PermissionDenied
        except IntegrityError:
            messages.error(
                request,
                _(
                    "无法恢复这个版本：它和现有的内容冲突（例如名称或“当前品牌”等唯一的标记"
                    "重复）。请先修改现有的内容，再恢复。"
                ),
            )
            opts = self.model._meta
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        allowed = (
            self.has_change_permission(request, obj)
            if request.method == "POST"
            else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        parent = super().revision_view
        return self._guarded_restore(
            request, version, "revert", parent, object_id, version_id, extra_context
        )

    def has_recover_permission(self, request):
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and self.has_delete_permission(request)
        )

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(self.model).select_related("revision"), pk=version_id
        )
        return self._guarded_restore(
            request, version, "recover", super().recover_view, version_id, extra_context
        )

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        overwritten = self._edit_lock_state(request).get("overwritten")
        if overwritten and reversion.is_active():
            reversion.set_comment(
                _("以我的版本覆盖了%(who)s 的修改。") % {"who": overwritten}
                + entry.get_change_message()
            )
        restore = getattr(request, "_no_lost_edits_restore", None)
        if restore is not None:
            kind, version = restore
            saved = _when(version.revision.date_created)
            if kind == "recover":
                comment = _("恢复已删除的%(name)s（%(date)s 的版本）")
            else:
                comment = _("恢复到 %(date)s 的版本")
            audit.record(
                AuditAction.RESTORE,
                obj=obj,
                request=request,
                comment=comment % {"name": self.model._meta.verbose_name, "date": saved},
            )
        return entry

    # --- deletion snapshots ----------------------------------------------------------------

    def delete_model(self, request, obj):
        save_snapshot([obj], user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        save_snapshot(list(queryset), user=request.user)
        super().delete_queryset(request, queryset)

    # --- history and list pages ------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request, object_id, extra_context=None):
        # django-reversion-compare checks no permission of its own.
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return super().compare_view(request, object_id, extra_context)

    def compare(self, obj, version1, version2):
        """The fields an editor can change, and the rows of the inlines.

        django-reversion-compare's own choice also lists timestamps, counters and every reverse
        relation (with a warning for models that have no revisions)."""
        opts = self.model._meta
        fields = [f for f in opts.concrete_fields if f.editable and not f.primary_key]
        fields += [f for f in opts.many_to_many if f.editable]
        self.reverse_fields = [fk.remote_field for _model, fk in self._edited_relations()]
        diff = []
        for field in fields + self.reverse_fields:
            is_reversed = field in self.reverse_fields
            name = field.field_name if is_reversed else field.name
            obj_compare = CompareObjects(field, name, obj, version1, version2, is_reversed)
            if isinstance(field, TaggableManager):
                html = self._compare_tags(obj, field, version1, version2)
                if html:
                    diff.append({"field": field, "is_related": True, "follow": True, "diff": html})
            elif obj_compare.changed():
                diff.append(
                    {
                        "field": field,
                        "is_related": obj_compare.is_related,
                        "follow": obj_compare.follow,
                        "diff": self._get_compare(obj_compare),
                    }
                )
        return diff, False

    def _compare_tags(self, obj, field, version1, version2):
        """django-taggit's tags live in the followed through rows of each revision."""
        through = field.through
        fk = _get_foreign_key(self.model, through)
        tag_field = through._meta.get_field("tag")
        content_type = ContentType.objects.get_for_model(through)
        names = []
        for version in (version1, version2):
            tag_ids = {
                row.field_dict[tag_field.attname]
                for row in version.revision.version_set.filter(content_type=content_type)
                if str(row.field_dict.get(fk.attname)) == str(obj.pk)
            }
            tags = tag_field.related_model._base_manager.filter(pk__in=tag_ids)
            names.append(", ".join(sorted(tag.name for tag in tags)))
        if names[0] == names[1]:
            return None
        return html_diff(names[0], names[1])

    def compare_TextField(self, obj_compare):
        """Rich text is one long line of HTML: diff it block by block, as escaped source."""
        value1, value2 = obj_compare.to_string()
        if isinstance(obj_compare.field, CKEditor5Field):
            value1, value2 = (_BLOCK_END.sub(r"\1\n", value) for value in (value1, value2))
        return html_diff(value1, value2)

    def _parent_change_list_template(self):
        for klass in type(self).__mro__:
            if isinstance(klass, type) and issubclass(klass, VersionAdmin):
                continue
            template = klass.__dict__.get("change_list_template")
            if template:
                return template
        return "admin/change_list.html"

    def changelist_view(self, request, extra_context=None):
        context = {
            "recover_parent_template": self._parent_change_list_template(),
            "has_recover_permission": self.has_recover_permission(request),
        }
        context.update(extra_context or {})
        return super().changelist_view(request, context)
