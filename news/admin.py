import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from brands.models import ALL_SCHOOLS_PERMISSION, Brand, School
from portal.admin_mixins import NoLostEditsAdminMixin
from portal.attachments import attachment_help_text
from portal.gate import Level
from portal.models import SiteSettings
from portal.rich_text_diff import rendered_change
from portal.sanitize import sanitize

from . import word_import, workflow
from .forms import ArticleAdminForm, WordImportForm
from .gate_forms import gated_formset
from .models import (
    CONTENT_FIELDS,
    Article,
    ArticleAttachment,
    ArticleStatus,
    Channel,
    Notification,
    NotificationPreference,
    ReviewerAssignment,
    SearchLog,
    SearchTerm,
    TransitionAction,
)
from .search import log as search_log

# The change form's workflow buttons send the action under this name, and its comment under
# this prefix followed by the action.
WORKFLOW_BUTTON = "_workflow"
WORKFLOW_COMMENT = "_workflow_comment_"

# Written only by news.workflow, never by the article form.
WORKFLOW_FIELDS = ["status", "review_level", "review_levels", "review_round", "first_published_at"]

# The gate's findings of what the sanitiser removed (portal.gate.links).
REMOVED_KIND = "removed"

FLAGS = {
    "is_headline": _("头条"),
    "is_recommended": _("推荐"),
    "is_carousel": _("幻灯"),
    "is_pinned": _("置顶"),
}


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "parent", "order", "show_in_nav"]
    list_editable = ["order", "show_in_nav"]
    list_filter = ["kind", "show_in_nav", "parent"]
    search_fields = ["name", "slug"]
    ordering = ["order", "pk"]
    fields = ["name", "slug", "kind", "parent", "description", "order", "show_in_nav"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Channel.objects.top_level()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArticleAttachmentInline(admin.TabularInline):
    model = ArticleAttachment
    extra = 0
    fields = ["title", "file", "original_name", "order"]
    readonly_fields = ["original_name"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            field.help_text = attachment_help_text()
        return field

    # Attachments are content: on a published article only a final-level reviewer changes
    # them directly (other changes go through review as a pending change, which holds text).
    def _locked(self, request, obj):
        return obj is not None and (
            obj.status == ArticleStatus.PUBLISHED and not workflow.is_final_reviewer(request.user)
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is None or obj.status != ArticleStatus.PUBLISHED:
            # Attachment names are checked at 送审 and every later step.
            return formset
        # Saved with a published article by a final-level reviewer: public at once.
        return gated_formset(formset, request.user, ["title"])

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and not self._locked(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)


def _school_restricted(user):
    """A school correspondent: limited to the schools they are assigned to."""
    return not user.has_perm(ALL_SCHOOLS_PERMISSION)


class WorkbenchFilter(admin.SimpleListFilter):
    """待我审核 for reviewers, 我的稿件 for authors; the desk on the admin home (news.desk)
    links its panels' "全部 N 篇" here."""

    title = _("我的工作")
    parameter_name = "work"
    # 待我审核 is a queue: who waited longest comes first.
    REVIEW_ORDERING = ["submitted_at", "pk"]

    def lookups(self, request, model_admin):
        choices = [
            ("mine", _("我的稿件")),
            ("rejected", _("我的退回稿件")),
            ("drafts", _("我的草稿")),
            ("scheduled", _("已定时发布")),
        ]
        if request.user.has_perm("news.approve_article"):
            choices.insert(0, ("review", _("待我审核")))
        return choices

    def queryset(self, request, queryset):
        user = request.user
        match self.value():
            case "review":
                return workflow.awaiting_review(user, queryset)
            case "mine":
                return queryset.filter(Q(created_by=user) | Q(pending_change__created_by=user))
            case "rejected":
                return queryset.rejected_back_to(user)
            case "drafts":
                return queryset.drafts_of(user)
            case "scheduled":
                return queryset.scheduled()
        return queryset


def _flag_action(field, label, value):
    def action(modeladmin, request, queryset):
        updated = queryset.set_placement(**{field: value})
        verb = _("设为") if value else _("取消")
        modeladmin.message_user(
            request,
            _("已将 %(count)d 篇文章%(verb)s%(label)s。")
            % {"count": updated, "verb": verb, "label": label},
            messages.SUCCESS,
        )

    action.__name__ = f"{'set' if value else 'clear'}_{field}"
    action.short_description = (_("设为%s") if value else _("取消%s")) % label
    action.allowed_permissions = ("placement",)
    return action


@admin.register(Article)
class ArticleAdmin(NoLostEditsAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    # The form shows a published article's change waiting for review: a new one since the
    # form was opened is an edit conflict too (NoLostEditsAdminMixin).
    edit_lock_related = ["pending_change"]
    list_display = [
        "title",
        "channel",
        "workflow_state",
        "author",
        "submitted_at",
        "publish_at",
        "flags",
        "view_count",
    ]
    list_display_links = ["title"]
    list_filter = [
        WorkbenchFilter,
        "channel",
        "status",
        "is_headline",
        "is_recommended",
        "is_carousel",
        "is_pinned",
        "schools",
        "publish_at",
    ]
    list_select_related = ["channel", "pending_change", "created_by"]
    # Django would count every article on each list page, besides the filtered ones.
    show_full_result_count = False
    # Staff remember a phrase, a byline or where a piece came from, rarely the exact title.
    # The admin's search box appears for any search_fields; holding_text does the search.
    search_fields = ["title"]
    search_help_text = _("按标题、作者、来源、摘要或正文查找；已发布文章的正文按词检索")
    date_hierarchy = "publish_at"
    filter_horizontal = ["schools"]
    inlines = [ArticleAttachmentInline]
    readonly_fields = [
        "workflow_state",
        "view_count",
        "created_by",
        "created_at",
        "updated_at",
        "first_published_at",
        "body_preview",
    ]
    view_on_site = True
    save_on_top = True
    # With 从 Word 导入 among the list's buttons.
    change_list_template = "admin/news/article/change_list.html"
    actions = [
        "approve_selected",
        *(
            _flag_action(field, label, value)
            for field, label in FLAGS.items()
            for value in (True, False)
        ),
    ]

    class Media:
        css = {"all": ["css/admin-workflow.css", "css/admin-cover-focus.css"]}
        js = ["js/admin-editor.js", "js/admin-cover-focus.js"]

    fieldsets = [
        (_("标题"), {"fields": ["kicker", "title", "subtitle", "summary"]}),
        (_("正文"), {"fields": ["body"]}),
        (_("栏目与关联"), {"fields": ["channel", "tags", "schools", "brand"]}),
        (_("封面"), {"fields": ["cover", "cover_alt", ("cover_focus_x", "cover_focus_y")]}),
        (
            _("发布"),
            {
                "fields": [
                    "workflow_state",
                    "publish_at",
                    ("is_headline", "is_recommended", "is_carousel"),
                    ("is_pinned", "pin_order"),
                ]
            },
        ),
        (
            _("作者、来源与刊发信息"),
            {
                "classes": ["collapse"],
                "fields": ["authors", "source", "print_edition", "original_url"],
            },
        ),
        (
            _("记录"),
            {
                "classes": ["collapse"],
                "fields": [
                    "view_count",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "first_published_at",
                ],
            },
        ),
    ]

    @admin.display(description=_("标记"))
    def flags(self, obj):
        return " ".join(str(label) for label in obj.flag_labels) or "—"

    @admin.display(description=_("状态"), ordering="status")
    def workflow_state(self, obj):
        if obj.pk is None:
            return ArticleStatus.DRAFT.label
        return workflow.article_state_label(obj, workflow.pending_change(obj))

    @admin.display(description=_("作者"), ordering="created_by__username")
    def author(self, obj):
        """Who wrote it into the system (the byline, ``authors``, may name others)."""
        if obj.created_by is None:
            return "—"
        return obj.created_by.get_full_name() or obj.created_by.get_username()

    @admin.display(description=_("送审时间"), ordering="submitted_at")
    def submitted_at(self, obj):
        return obj.submitted_at

    @admin.display(description=_("正文（预览）"))
    def body_preview(self, obj):
        """The body as the public page shows it; a pending change with its changed blocks marked."""
        change = workflow.pending_change(obj)
        if change is not None and "body" in change.content:
            return rendered_change(obj.body, change.content["body"])
        return rendered_change(None, obj.body)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, the body field would show its HTML source.
        return [
            (
                name,
                {
                    **options,
                    "fields": ["body_preview" if f == "body" else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    # --- Who may do what (enforced here, on the server) ---------------------------------------

    def get_queryset(self, request):
        return Article.objects.visible_to(request.user).defer("body").with_submitted_at()

    def get_ordering(self, request):
        if request.GET.get(WorkbenchFilter.parameter_name) == "review":
            return WorkbenchFilter.REVIEW_ORDERING
        return super().get_ordering(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.edit_refusal(obj, request.user) is None

    def has_placement_permission(self, request):
        """Headline, carousel, pinned…: district staff decide, not school correspondents."""
        return self.has_change_permission(request) and not _school_restricted(request.user)

    def has_approve_permission(self, request):
        return request.user.has_perm("news.approve_article")

    @admin.action(description=_("批量审核通过"), permissions=["approve"])
    def approve_selected(self, request, queryset):
        approved, refused = workflow.approve_each(queryset, request.user, request)
        text = _("通过 %(count)d 篇。") % {"count": len(approved)}
        if refused:
            text += _("未通过 %(count)d 篇：%(list)s。") % {
                "count": len(refused),
                "list": "；".join(
                    f"《{article.title}》{reason.rstrip('。')}" for article, reason in refused
                ),
            }
        self.message_user(request, text, messages.WARNING if refused else messages.SUCCESS)

    def get_search_results(self, request, queryset, search_term):
        return queryset.holding_text(search_term), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        user = request.user
        if _school_restricted(user):
            fields += [*FLAGS, "pin_order"]
        if (
            obj is not None
            and self._publish_time_locked(obj)
            and not user.has_perm("news.change_publish_time")
        ):
            fields.append("publish_at")
        return fields

    @staticmethod
    def _publish_time_locked(obj):
        return obj.first_published_at is not None or obj.status == ArticleStatus.PUBLISHED

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "schools" and _school_restricted(request.user):
            kwargs["queryset"] = School.objects.for_user(request.user)
            kwargs["required"] = True
            kwargs["help_text"] = _("选择稿件涉及的学校（只能选择您负责的学校，至少选一所）")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "brand" and _school_restricted(request.user):
            kwargs["queryset"] = Brand.objects.filter(
                school__in=School.objects.for_user(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- Workflow buttons and timeline --------------------------------------------------------
    # The buttons are submit buttons of the change form (``name="_workflow"``): what the form
    # holds is saved first, through the same path as 保存 (validation, the edit-conflict check,
    # the pending change of a published article), so a step never leaves typed edits behind.

    @staticmethod
    def _clicked_step(request):
        """(action, comment) of the workflow button this POST was sent with, else None."""
        if request.method != "POST" or WORKFLOW_BUTTON not in request.POST:
            return None
        try:
            action = workflow.button_action(request.POST[WORKFLOW_BUTTON])
        except workflow.TransitionError as error:
            raise Http404(error.message) from None
        return action, request.POST.get(WORKFLOW_COMMENT + action.value, "")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            step = self._clicked_step(request)
            if step is not None and not self.has_change_permission(request, article):
                # A reviewer who may not edit has nothing to save: the step alone.
                return self._take_step(request, article, *step, saved=False)
            extra_context["workflow"] = self._workflow_context(request, article)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # Checked with the form, so a missing comment or the gate refuses before anything is
        # saved, and the form keeps what was typed.
        attributes = {
            "workflow_step": self._clicked_step(request) if change else None,
            "goes_public_for": request.user if self._goes_public(request, obj) else None,
            "proposes_change": self._proposes_change(request, obj),
        }
        return type(form_class.__name__, (form_class,), attributes)

    def response_change(self, request, obj):
        step = self._clicked_step(request)
        if step is None:
            return super().response_change(request, obj)
        return self._take_step(request, obj, *step, saved=True)

    def _take_step(self, request, article, action, comment, saved):
        """Perform ``action`` after the form was saved (``saved``) or with nothing to save."""
        change_url = reverse(
            "admin:news_article_change", args=[article.pk], current_app=self.admin_site.name
        )
        link = format_html('<a href="{}">{}</a>', change_url, article.title)
        try:
            transition = workflow.perform(
                action,
                article,
                request.user,
                comment=comment,
                request=request,
                reason=request.POST.get("gate_reason", ""),
            )
        except workflow.TransitionError as error:
            if error.status == 404:
                raise Http404(error.message) from None
            if saved:
                # A success message naming the article also settles the browser's local draft.
                self.message_user(request, format_html(_("“{}”已保存。"), link), messages.SUCCESS)
                text = _("已保存，但“%(action)s”没有完成：%(reason)s")
            else:
                text = _("“%(action)s”没有完成：%(reason)s")
            if comment.strip():
                text += _("您填写的意见：%(comment)s")
            self.message_user(
                request,
                text % {"action": action.label, "reason": error.message, "comment": comment},
                messages.ERROR,
            )
            return redirect(change_url)
        article.refresh_from_db()
        if reversion.is_active():  # the admin's revision of this request says what happened
            note = transition.get_action_display()
            note = f"{note}：{transition.comment}" if transition.comment else note
            reversion.set_comment(f"{reversion.get_comment()}{note}" if saved else note)
        state = workflow.article_state_label(article, workflow.pending_change(article))
        if action in (TransitionAction.APPROVE, TransitionAction.REJECT):
            done = format_html(
                _("“{}”{}{}，当前状态：{}。"),
                link,
                _("已保存并") if saved else _("已"),
                transition.get_action_display(),
                state,
            )
            return self._on_to_next_review(request, article, done)
        self.message_user(
            request,
            format_html(
                _("“{}”：{}{}。当前状态：{}。"),
                link,
                _("已保存并") if saved else "",
                transition.get_action_display(),
                state,
            ),
            messages.SUCCESS,
        )
        return redirect(change_url)

    def _on_to_next_review(self, request, decided, done):
        """After a reviewer's decision, the next article waiting for them (who waited longest
        first), or the emptied 待我审核 list. ``done`` says what was decided; it links the
        decided article, which is what settles the browser's local draft of its form."""
        user = request.user
        following = (
            workflow.review_queue(user, Article.objects.visible_to(user))
            .exclude(pk=decided.pk)
            .defer("body")
            .first()
        )
        if following is None:
            everything_done = format_html("{}{}", done, _("待我审核的稿件已全部处理。"))
            self.message_user(request, everything_done, messages.SUCCESS)
            changelist = reverse("admin:news_article_changelist", current_app=self.admin_site.name)
            return redirect(f"{changelist}?{WorkbenchFilter.parameter_name}=review")
        self.message_user(
            request,
            format_html("{}{}", done, format_html(_("下一篇待审稿件：《{}》"), following.title)),
            messages.SUCCESS,
        )
        return redirect(
            reverse(
                "admin:news_article_change", args=[following.pk], current_app=self.admin_site.name
            )
        )

    def _workflow_context(self, request, article):
        user = request.user
        change = workflow.pending_change(article)
        subject = workflow.review_subject(article)
        typed = request.POST if request.method == "POST" else {}
        transitions = list(article.transitions.select_related("actor"))
        actions = [
            {
                "code": action.value,
                "label": action.label,
                "needs_comment": action in workflow.COMMENT_REQUIRED,
                "comment_name": WORKFLOW_COMMENT + action.value,
                "comment": typed.get(WORKFLOW_COMMENT + action.value, ""),
            }
            for action in workflow.allowed_actions(article, user)
        ]
        hint = ""
        if subject is not None and not any(a["code"] == "approve" for a in actions):
            hint = workflow.refusal(TransitionAction.APPROVE, article, user) or ""
            if not user.has_perm("news.approve_article"):
                hint = ""
        note = workflow.reviewer_note(article, user)
        findings = workflow.findings_of(article, change.gate_content() if change else None)
        return {
            "findings": findings,
            "needs_reason": user.has_perm(workflow.CONFIRM_PERMISSION)
            and any(finding.level == Level.CONFIRM for finding in findings),
            "gate_reason": typed.get("gate_reason", ""),
            "state": workflow.article_state_label(article, change),
            "change": change,
            "actions": actions,
            "review_hint": hint,
            "reviewer_note": note,
            "edit_refusal": None if note else workflow.edit_refusal(article, user),
            "button_name": WORKFLOW_BUTTON,
            "saves_first": self.has_change_permission(request, article),
            "transitions": transitions,
            "rejection": workflow.standing_rejection(article, transitions),
        }

    # --- 从 Word 导入 (news.word_import) ---------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "word-import/",
                self.admin_site.admin_view(self.word_import_view),
                name="news_article_word_import",
            ),
            *super().get_urls(),
        ]

    def word_import_view(self, request):
        """A .docx becomes a new draft, opened in its change form; a file that cannot be
        imported comes back to the form with the reason, and nothing is stored."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        channel = self.formfield_for_foreignkey(Article._meta.get_field("channel"), request)
        form = WordImportForm(request.POST or None, request.FILES or None, channel_field=channel)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                article, draft = word_import.import_draft(
                    upload, channel=form.cleaned_data["channel"], user=request.user, request=request
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                self.message_user(
                    request, word_import.success_message(upload.name, draft), messages.SUCCESS
                )
                if meta := word_import.meta_message(draft):
                    self.message_user(request, meta, messages.INFO)
                for warning in draft.warnings:
                    self.message_user(request, warning, messages.WARNING)
                return redirect(
                    reverse(
                        "admin:news_article_change",
                        args=[article.pk],
                        current_app=self.admin_site.name,
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("从 Word 导入"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/news/article/word_import.html", context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("source", SiteSettings.load().site_name)
        return initial

    # --- Saving: placement at once, content through review or through the gate ----------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # django-reversion writes the old version before the form is checked: what the
            # article was until now decides whether the restore goes public or to review.
            before = Article.objects.filter(pk=unquote(object_id)).first()
            if before is not None:
                before.kept_tags = list(before.tags.names())
            request._article_restore = (TransitionAction.RESTORE, before)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if request.method == "POST":
            request._article_restore = (TransitionAction.RECOVER, None)
        return super().recover_view(request, version_id, extra_context)

    @staticmethod
    def _restore_of(request):
        """(the step, the article before it) of this request: a restore, a recovery or a plain
        save (``REVISE``, before: None)."""
        return getattr(request, "_article_restore", (TransitionAction.REVISE, None))

    def _goes_public(self, request, obj):
        """Whether saving the form for ``obj`` makes its content public at once: a recovered
        published article; a published one saved (or restored) by a final-level reviewer."""
        if obj is None:
            return False
        action, before = self._restore_of(request)
        stored = before or obj
        if stored.status != ArticleStatus.PUBLISHED:
            return False
        return action == TransitionAction.RECOVER or workflow.is_final_reviewer(request.user)

    def _proposes_change(self, request, obj):
        """Whether saving the form for ``obj`` sends a change of a published article to review."""
        if obj is None or self._goes_public(request, obj):
            return False
        before = self._restore_of(request)[1]
        return (before or obj).status == ArticleStatus.PUBLISHED

    def save_model(self, request, obj, form, change):
        if not change or obj.created_by_id is None:
            obj.created_by = request.user
        form.change_proposed = False
        if not change:
            super().save_model(request, obj, form, change)
            self._report_gate_notes(request, form)
            return
        action, before = self._restore_of(request)
        stored = before or Article.objects.get(pk=obj.pk)

        def write():
            # The state belongs to the workflow: a form opened before a step (or the step just
            # taken) must not write an old state back, nor a restored version its old state.
            current = Article.objects.values(*WORKFLOW_FIELDS).get(pk=obj.pk)
            if before is not None:
                current |= {name: getattr(before, name) for name in WORKFLOW_FIELDS}
                current["review_round"] = stored.review_round
            for name, value in current.items():
                setattr(obj, name, value)
            super(ArticleAdmin, self).save_model(request, obj, form, change)

        if "publish_at" in form.changed_data and self._publish_time_locked(stored):
            workflow.record_publish_time_change(
                obj, request.user, stored.publish_at, obj.publish_at, request
            )
        if form.goes_public_for is not None:
            comment = {
                TransitionAction.REVISE: workflow.record_direct_change,
                TransitionAction.RESTORE: workflow.record_direct_change,
                TransitionAction.RECOVER: lambda article, user: _("恢复已删除的文章，重新公开。"),
            }[action](stored, request.user)
            if action == TransitionAction.RESTORE:
                comment = _("恢复历史版本。") + comment
            workflow.go_public(
                stored,
                request.user,
                action,
                write,
                content=form.gate_content(),
                reason=form.cleaned_data.get("gate_reason") or "",
                comment=comment,
                request=request,
            )
        elif stored.status == ArticleStatus.PUBLISHED:
            self._propose_change(request, obj, form, stored)
            write()
        else:
            write()
        self._report_gate_notes(request, form)

    def _propose_change(self, request, obj, form, stored):
        """A change to a published article by anybody but a final-level reviewer: kept aside
        for review while the public keeps the published content."""
        user = request.user
        content = form.content_values()
        pending = form.pending_change.content if form.pending_change else None
        if content != (pending or workflow.content_values_of(stored)):
            stored.review_round = workflow.propose_change(stored, user, content, request).round
            self.message_user(
                request,
                _(
                    "文章已发布：您对内容的修改已作为修改稿送审，通过终审后才会替换网站上的"
                    "内容。栏目、学校等其他设置已直接保存。"
                ),
                messages.WARNING,
            )
        # The article keeps its published content (and tags, in save_related).
        for name in CONTENT_FIELDS:
            if name != "tags":
                setattr(obj, name, getattr(stored, name))
        form.change_proposed = True
        form.kept_tags = getattr(stored, "kept_tags", None)

    def save_related(self, request, form, formsets, change):
        user = request.user
        hidden_schools = []
        if change and _school_restricted(user):
            # Links to schools the correspondent cannot see stay as they were.
            visible = School.objects.for_user(user)
            hidden_schools = list(form.instance.schools.exclude(pk__in=visible.values("pk")))
        if getattr(form, "change_proposed", False):
            kept = getattr(form, "kept_tags", None)
            form.cleaned_data["tags"] = (
                kept if kept is not None else list(form.instance.tags.names())
            )
        super().save_related(request, form, formsets, change)
        if hidden_schools:
            form.instance.schools.add(*hidden_schools)

    def _report_gate_notes(self, request, form):
        """Tell the editor what the sanitiser removed from what they typed: it is gone from
        the stored text, so the workflow panel's findings no longer show it."""
        self._sanitize_messages(request, form)
        removed = [
            finding
            for finding in workflow.findings_of(form.instance, form.gate_content())
            if finding.kind == REMOVED_KIND
        ]
        if removed:
            self.message_user(
                request,
                _("保存时已从正文中删除：%(list)s。")
                % {"list": "；".join(finding.message for finding in removed)},
                messages.WARNING,
            )

    def _sanitize_messages(self, request, form):
        result = getattr(form, "sanitize_result", None) or sanitize("")
        if result.removed_local_images:
            self.message_user(
                request,
                _(
                    "正文中有 %(count)d 张从 Word 粘贴的本地图片（地址以 file:// 开头，"
                    "读者的浏览器无法显示），已自动移除。请用编辑器工具栏的“上传图片”按钮"
                    "重新上传这些图片。"
                )
                % {"count": result.removed_local_images},
                messages.WARNING,
            )
        if result.removed_foreign_images:
            self.message_user(
                request,
                _(
                    "正文中有 %(count)d 张引用其他网站的图片，已自动移除。请先保存图片，"
                    "再用“上传图片”按钮上传到本站。"
                )
                % {"count": result.removed_foreign_images},
                messages.WARNING,
            )


@admin.register(ReviewerAssignment)
class ReviewerAssignmentAdmin(admin.ModelAdmin):
    """Which reviewer decides at which level; edited by 管理员 (the permission says so)."""

    list_display = ["user", "user_full_name", "level"]
    list_filter = ["level"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # Only reviewers are offered; a forged choice of anybody else gets the model's reason.
            kwargs["error_messages"] = {"invalid_choice": db_field.error_messages["invalid"]}
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("姓名"))
    def user_full_name(self, obj):
        return obj.user.get_full_name() or "—"


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    """搜索记录 as a report for editors: 热门搜索 and the searches that found nothing, over the
    last week, month or year. The log itself is written by the public search page only."""

    PERIODS = {"7": _("最近一周"), "30": _("最近一个月"), "365": _("最近一年")}
    change_list_template = "admin/news/searchlog/report.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = request.GET.get("days", "30")
        days = days if days in self.PERIODS else "30"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("搜索记录"),
            "periods": self.PERIODS.items(),
            "days": days,
            "popular": search_log.popular(int(days), limit=50),
            "without_results": search_log.without_results(int(days)),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_list_template, context)


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """检索词典: terms staff add so that search keeps them whole (news.search.segment)."""

    list_display = ["term", "note", "created_at"]
    search_fields = ["term", "note"]
    fields = ["term", "note"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """通知: each staff user's own notices of workflow steps (news.notifications), newest first.
    Opening the list marks them read; the header shows the unread count on every admin page."""

    list_display = ["notice", "created_at", "read_state"]
    list_display_links = None
    change_list_template = "admin/news/notification/change_list.html"

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (
            obj is None or obj.recipient_id == request.user.pk
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(recipient=request.user)
            .select_related("profile_step")
        )

    @admin.display(description=_("通知"))
    def notice(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_admin_url(), obj.message)

    @admin.display(description=_("状态"))
    def read_state(self, obj):
        return _("已读") if obj.read_at else _("未读")

    def get_urls(self):
        return [
            path(
                "email/",
                self.admin_site.admin_view(self.email_view),
                name="news_notification_email",
            ),
            *super().get_urls(),
        ]

    def email_view(self, request):
        """Turn e-mail notices on or off for the signed-in user."""
        if request.method != "POST" or not self.has_module_permission(request):
            raise PermissionDenied
        wanted = request.POST.get("email") == "on"
        NotificationPreference.objects.update_or_create(
            user=request.user, defaults={"email": wanted}
        )
        self.message_user(
            request,
            _("已开启邮件通知。") if wanted else _("已关闭邮件通知，通知仍会显示在这里。"),
            messages.SUCCESS,
        )
        return redirect("admin:news_notification_changelist")

    def changelist_view(self, request, extra_context=None):
        preference = NotificationPreference.objects.filter(user=request.user).first()
        context = {
            "email_on": preference is None or preference.email,
            "has_address": bool(request.user.email),
            **(extra_context or {}),
        }
        response = super().changelist_view(request, context)
        if hasattr(response, "add_post_render_callback"):

            def mark_read(rendered):
                # Shown as unread once, then read.
                Notification.objects.filter(recipient=request.user).unread().update(
                    read_at=timezone.now()
                )

            response.add_post_render_callback(mark_read)
        return response
