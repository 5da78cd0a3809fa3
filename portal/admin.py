import csv

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator

from news import roles

from . import audit
from .admin_mixins import LocalDraftAdminMixin
from .models import AuditAction, AuditLogEntry, SensitiveWord, SiteSettings, WordingError
from .word_list_import import SensitiveWordImportForm


@admin.register(SiteSettings)
class SiteSettingsAdmin(LocalDraftAdminMixin, admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["site_name", "sponsor", "organizer", "contact", "address"]}),
        ("备案与标识", {"fields": ["icp_number", "psb_number", "psb_icon", "site_code"]}),
        ("版权", {"fields": ["copyright"]}),
        ("审核流程", {"fields": ["review_levels", "profile_review_levels"]}),
    ]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is only ever one row: go straight to its form.
        settings_row = SiteSettings.objects.first()
        if settings_row is None:
            return redirect(reverse("admin:portal_sitesettings_add"))
        return redirect(reverse("admin:portal_sitesettings_change", args=[settings_row.pk]))


# --- The publication gate's word lists (portal.gate.words) ---------------------------------------


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ["word", "level", "note", "updated_at"]
    list_filter = ["level"]
    search_fields = ["word", "note"]
    fields = ["word", "level", "note"]
    list_per_page = 100

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="portal_sensitiveword_import",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request):
        """批量导入: words from a text file, one a line (``portal.word_list_import``)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SensitiveWordImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            added, existing, ignored = form.save()
            result = f"新增 {added} 个，已存在 {existing} 个，忽略 {ignored} 行。"
            audit.record(AuditAction.OTHER, request=request, comment=f"批量导入敏感词：{result}")
            self.message_user(request, f"导入完成：{result}", messages.SUCCESS)
            return redirect(reverse("admin:portal_sensitiveword_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "批量导入敏感词",
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/portal/sensitiveword/import.html", context)


@admin.register(WordingError)
class WordingErrorAdmin(admin.ModelAdmin):
    list_display = ["wrong", "correct", "note", "updated_at"]
    search_fields = ["wrong", "correct", "note"]
    fields = ["wrong", "correct", "note"]
    list_per_page = 100


class _EchoBuffer:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value):
        return value


# Cells that a spreadsheet would run as a formula; the log holds text typed by anybody
# (a failed login's user name), so such cells are prefixed with an apostrophe.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


AUDIT_CSV_HEADER = [
    "时间",
    "操作人",
    "操作",
    "对象类型",
    "对象ID",
    "对象",
    "原状态",
    "新状态",
    "说明",
    "IP地址",
]


def audit_csv_rows(queryset):
    """Yield the CSV lines of ``queryset``: a UTF-8 BOM (so Excel reads Chinese), a header, rows."""
    writer = csv.writer(_EchoBuffer())
    yield "\ufeff" + writer.writerow(AUDIT_CSV_HEADER)
    for entry in queryset.select_related("content_type").iterator(chunk_size=2000):
        yield writer.writerow(
            [
                _csv_cell(value)
                for value in (
                    timezone.localtime(entry.time).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.actor_username,
                    entry.get_action_display(),
                    entry.content_type or "",
                    entry.object_id,
                    entry.object_repr,
                    entry.from_state,
                    entry.to_state,
                    entry.comment,
                    entry.ip_address or "",
                )
            ]
        )


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Read-only for everybody, superusers included; the auditor group may view and export."""

    list_display = [
        "time",
        "actor_username",
        "action",
        "content_type",
        "object_repr",
        "state_change",
        "ip_address",
        "short_comment",
    ]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["content_type"]
    date_hierarchy = "time"
    search_fields = ["actor_username", "object_repr", "ip_address", "comment"]
    fields = [
        "time",
        "actor",
        "actor_username",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "from_state",
        "to_state",
        "comment",
        "ip_address",
    ]
    actions = ["export_selected_csv"]
    list_per_page = 50

    @admin.display(description="状态变化")
    def state_change(self, obj):
        if obj.from_state or obj.to_state:
            return f"{obj.from_state or '—'} → {obj.to_state or '—'}"
        return ""

    @admin.display(description="说明")
    def short_comment(self, obj):
        return Truncator(obj.comment).chars(60)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        urls = [
            path(
                "export/",
                self.admin_site.admin_view(self.export_csv_view),
                name="portal_auditlogentry_export",
            ),
        ]
        return urls + super().get_urls()

    def _csv_response(self, request, queryset, description):
        audit.record(AuditAction.OTHER, request=request, comment=f"导出审计日志 CSV：{description}")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response = StreamingHttpResponse(
            audit_csv_rows(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response

    def export_csv_view(self, request):
        """The changelist as it is filtered and searched now, as CSV (all pages)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect(reverse("admin:portal_auditlogentry_changelist") + "?e=1")
        conditions = request.GET.urlencode() or "全部"
        return self._csv_response(request, changelist.queryset, f"筛选条件 {conditions}")

    @admin.action(description="导出所选审计日志为 CSV", permissions=["view"])
    def export_selected_csv(self, request, queryset):
        return self._csv_response(request, queryset, f"所选 {queryset.count()} 条")


# --- Users and groups: who may change whom is news.roles' table (三员分立) --------------------

User = get_user_model()

# What an account may do; nobody changes these on their own account.
_ROLE_FIELDS = ["groups", "user_permissions", "is_superuser", "is_staff", "is_active"]


class ObjectRuleAdminMixin:
    """Changing or deleting one object also needs ``object_rule(actor, obj)`` to allow it."""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.object_rule(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.object_rule(request.user, obj))


class PortalUserAdmin(ObjectRuleAdminMixin, UserAdmin):
    """Django's user admin under the rules of ``news.roles``: a 管理员 runs the accounts of
    editors and correspondents and gives them roles; superusers' accounts, accounts holding a
    separated role (管理员, 审核员, 审计员), those roles and single permissions are a
    superuser's. The change-password view asks ``has_change_permission`` too."""

    object_rule = staticmethod(roles.may_manage_account)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not roles.may_change_roles(request.user, obj):
            fields += _ROLE_FIELDS
        elif not roles.may_change_permissions(request.user):
            fields += ["is_superuser", "user_permissions"]
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or "groups" not in form.base_fields:
            return form
        before = list(obj.groups.values_list("name", flat=True))

        class RoleCheckedForm(form):
            def clean_groups(self):
                groups = self.cleaned_data["groups"]
                after = [group.name for group in groups]
                refusal = roles.role_change_refusal(request.user, obj, before, after)
                if refusal:
                    raise ValidationError(refusal)
                return groups

        return RoleCheckedForm


class PortalGroupAdmin(ObjectRuleAdminMixin, GroupAdmin):
    """Django's group admin; a group's permissions, and the role groups of ``news.roles``
    altogether, are changed by a superuser only."""

    object_rule = staticmethod(roles.may_change_group)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not roles.may_change_permissions(request.user):
            fields.append("permissions")
        return fields


for model, model_admin in [(User, PortalUserAdmin), (Group, PortalGroupAdmin)]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
