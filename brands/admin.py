"""Admin for schools, organisations, brands, campaigns and awards.

School correspondents (学校通讯员, without ``brands.all_schools``) see and change only their own
schools (``School.correspondents``) and those schools' brands and photos: the querysets, the
school choices and the object permissions below say so, on the server. Who may do what else is
the role table in ``news/roles.py``.
"""

from functools import partial

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count
from django.db.models.fields.files import FieldFile
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm

from news import workflow
from news.gate_forms import gated_formset
from news.models import TransitionAction
from news.workflow import profiles
from portal.admin_mixins import NoLostEditsAdminMixin

from . import profile_review
from .models import (
    Award,
    Brand,
    BrandImage,
    Campaign,
    CampaignStatus,
    PartyOrganization,
    School,
    works_on_every_school,
)
from .resources import AwardResource, PartyOrganizationResource, SchoolResource

# Web addresses typed without a scheme are taken as https:// (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def _school_restricted(user):
    return not works_on_every_school(user)


class PublicContentForm(forms.ModelForm):
    """Schools, brands, campaigns and honours have no review: what is saved is public at
    once, so the publication gate is asked before anything is saved (and the form keeps what
    was typed when it refuses)."""

    gate_reason = forms.CharField(
        label=_("内容检查确认理由"),
        required=False,
        widget=forms.Textarea({"rows": 2, "cols": 40}),
        help_text=_("内容检查发现需要审核员确认的内容时，核实后写明可以公开的理由。"),
    )
    gate_user = None  # set by the admin for the signed-in user

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        if not self.errors:
            refusal = self.gate_refusal(self.cleaned_data.get("gate_reason") or "")
            if refusal:
                self.add_error(None, refusal)

    def gate_refusal(self, reason):
        return workflow.public_refusal(self.instance, self.gate_user, reason=reason)


class ProfileForm(PublicContentForm):
    """A school's profile or a brand: what is saved waits for review unless the user publishes
    directly (``news.workflow.profiles``), so only what blocks stops them; a reviewer confirms
    the rest."""

    def gate_refusal(self, reason):
        return profiles.save_refusal(self.instance, self.gate_user, reason=reason)


class PublicContentAdminMixin:
    """The admin side of ``PublicContentForm``: reviewers get the confirmation field, and the
    save goes through ``workflow.go_public``."""

    form = PublicContentForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.has_perm(workflow.CONFIRM_PERMISSION):
            fieldsets = [*fieldsets, (_("内容检查"), {"fields": ["gate_reason"]})]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        return type(form_class.__name__, (form_class,), {"gate_user": request.user})

    def save_model(self, request, obj, form, change):
        workflow.go_public(
            obj,
            request.user,
            None,
            partial(super().save_model, request, obj, form, change),
            reason=form.cleaned_data.get("gate_reason") or "",
            request=request,
        )


class ProfileReviewAdminMixin(PublicContentAdminMixin):
    """Schools and brands: a change by anybody but a reviewer of the last profile level waits
    for review (``news.workflow.profiles``). The form shows the change waiting for review (its
    gallery too), the 审核记录 and, for a reviewer, the link to the review page."""

    form = ProfileForm
    edit_lock_related = ["pending_change"]
    change_form_template = "admin/brands/profile_change_form.html"

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        return profiles.shown_in_form(obj) if obj is not None else None

    def save_model(self, request, obj, form, change):
        pass  # saved with its relations, by the workflow (save_related)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        gallery = next((fs for fs in formsets if fs.model is BrandImage), None)
        content = profiles.content_values_of(
            obj, gallery=gallery_of(gallery, obj) if gallery is not None else None
        )
        shows_held_gallery = gallery is not None and getattr(gallery, "held", False)
        if gallery is not None:
            # The admin's change message reads these; a gallery kept for review saves no rows.
            gallery.new_objects, gallery.changed_objects, gallery.deleted_objects = [], [], []

        def write(with_content):
            super(PublicContentAdminMixin, self).save_model(request, obj, form, change)
            form.save_m2m()
            for formset in formsets:
                if formset is not gallery:
                    self.save_formset(request, form, formset, change)
                elif with_content and shows_held_gallery:
                    obj.replace_gallery(content[profiles.GALLERY])
                elif with_content:
                    self.save_formset(request, form, formset, change)

        step = profiles.save(
            obj,
            request.user,
            content,
            write,
            reason=form.cleaned_data.get("gate_reason") or "",
            request=request,
        )
        if step is not None and step.action == TransitionAction.SUBMIT:
            request._profile_sent_to_review = True
            self.message_user(
                request,
                _("修改已送审：审核通过后才在网站上显示，在此之前网站上仍是原来的内容。")
                if step.round > 1 or profiles.profile_change(obj).content
                else _("已送审：审核通过后才在网站上显示。"),
                messages.WARNING,
            )

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "_profile_sent_to_review", False) and reversion.is_active():
            # The revision is of the profile as the public still sees it.
            reversion.set_comment(f"{entry.get_change_message()}{_('（已送审，等待审核）')}")
        return entry

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        gallery = profiles.held_gallery(obj) if isinstance(inline, BrandImageInline) else None
        if gallery is not None:
            # The gallery waiting for review has no rows yet: its photos are the form's start.
            kwargs["queryset"] = BrandImage.objects.none()
            kwargs["initial"] = [
                {**item, "image": BrandImage(image=item["image"]).image} for item in gallery
            ]
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            pending = profiles.profile_change(obj)
            context["profile_review"] = {
                "change": pending,
                "state": profiles.state_label(pending) if pending else "",
                "may_review": pending is not None
                and profiles.review_refusal(pending, request.user) is None,
                "review_url": reverse(
                    f"admin:{obj._meta.app_label}_{obj._meta.model_name}_review", args=[obj.pk]
                ),
                "history": list(profiles.history(obj)),
                "rejection": profiles.standing_rejection(obj),
                "publishes_directly": profiles.publishes_directly(request.user),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        return profile_review.review_page(self, request, obj)


def gallery_of(formset, brand):
    """The gallery the inline ``formset`` of ``brand`` holds, as ``Brand.gallery()`` gives it;
    a new photo is stored (and prepared) on the way, since it has no row yet."""
    gallery = []
    for position, form in enumerate(formset.forms):
        data = form.cleaned_data if form.has_changed() else None
        if data is not None and data.get("DELETE"):
            continue
        if data is None:
            if form.instance.pk:
                data = {f: getattr(form.instance, f) for f in ("image", "caption", "order")}
            elif form.initial:
                data = form.initial
            else:
                continue  # an empty extra row
        image = data.get("image")
        if isinstance(image, FieldFile):
            name = image.name
        else:
            holder = BrandImage(brand=brand)
            holder.image.save(image.name, image, save=False)
            name = holder.image.name
        gallery.append((data.get("order") or 0, position, name, data.get("caption") or ""))
    return [
        {"image": name, "caption": caption, "order": order}
        for order, _position, name, caption in sorted(gallery)
    ]


class ColumnLabelledExportForm(SelectableFieldsExportForm):
    """Each field to export is offered under its Chinese column header alone."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class PermittedImportExportAdmin(ImportExportModelAdmin):
    """Import and export as the settings' permission codes allow (``IMPORT_EXPORT_*``), and an
    import, which both adds and changes rows, needs the add permission as well. Exports are the
    changelist's rows, so they keep to ``get_queryset``; imported rows are checked by the
    resource (``AtomicModelResource``)."""

    export_form_class = ColumnLabelledExportForm

    def has_import_permission(self, request):
        return self.has_add_permission(request) and super().has_import_permission(request)

    def get_export_filename(self, request, queryset, file_format):
        name = f"{self.model._meta.verbose_name_plural}-{timezone.localdate():%Y年%m月%d日}"
        return f"{name}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # The library quotes the name as is, which browsers garble for Chinese names.
        response = super()._do_file_export(file_format, request, queryset, export_form)
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format)
        )
        return response


@admin.register(School)
class SchoolAdmin(ProfileReviewAdminMixin, NoLostEditsAdminMixin, PermittedImportExportAdmin):
    formfield_overrides = URL_FIELDS
    resource_classes = [SchoolResource]
    list_display = ["name", "stage", "ownership", "town", "education_group", "party_organization"]
    list_filter = ["stage", "ownership", "town", "education_group"]
    search_fields = ["name", "short_name", "slug", "town", "education_group"]
    list_select_related = ["party_organization"]
    autocomplete_fields = ["party_organization"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["name", "short_name", "stage", "ownership"]}),
        (
            _("位置与归属"),
            {"fields": ["town", "education_group", "party_organization", "address", "website"]},
        ),
        (_("介绍"), {"fields": ["introduction", "photo"]}),
        (_("学校通讯员"), {"fields": ["correspondents"]}),
        (_("高级"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]
    filter_horizontal = ["correspondents"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=School.objects.for_user(request.user).values("pk"))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.has_perm("brands.assign_correspondents"):
            return fieldsets
        return [(name, opts) for name, opts in fieldsets if "correspondents" not in opts["fields"]]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _school_restricted(request.user):
            # A correspondent edits the profile, not where the school belongs.
            fields += ["name", "stage", "ownership", "town", "education_group"]
            fields += ["party_organization", "slug"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "correspondents":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(PermittedImportExportAdmin):
    resource_classes = [PartyOrganizationResource]
    list_display = ["name", "kind", "secretary", "member_count", "founded_year", "school_list"]
    list_filter = ["kind"]
    search_fields = ["name", "secretary", "schools__name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["school_list"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "parent"]}),
        (_("概况"), {"fields": ["secretary", "member_count", "founded_year"]}),
        (_("覆盖学校"), {"fields": ["school_list"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=PartyOrganization.objects.for_user(request.user).values("pk"))
            .prefetch_related("schools")
        )

    @admin.display(description=_("覆盖学校"))
    def school_list(self, organization):
        if not organization.pk:
            return _("保存后，在学校里选择这个党组织。")
        schools = list(organization.schools.all())
        if not schools:
            return _("还没有学校选择这个党组织。")
        return format_html_join("、", "{}", ((school.name,) for school in schools))


class BrandImageInline(admin.TabularInline):
    model = BrandImage
    fields = ["image", "caption", "order"]
    extra = 1
    # Only reached through BrandAdmin, whose queryset already keeps to the user's schools.

    class Media:
        js = ["js/admin-gallery-upload.js"]  # 一次添加多张照片

    def get_formset(self, request, obj=None, **kwargs):
        # The captions are public with the brand: the publication gate reads them.
        formset = super().get_formset(request, obj, **kwargs)
        held = profiles.held_gallery(obj) is not None
        formset = gated_formset(formset, request.user, ["caption"], profiles.save_refusal)
        return type(formset.__name__, (formset,), {"held": held})

    def get_extra(self, request, obj=None, **kwargs):
        gallery = profiles.held_gallery(obj)
        return self.extra + (len(gallery) if gallery is not None else 0)


@admin.register(Brand)
class BrandAdmin(ProfileReviewAdminMixin, NoLostEditsAdminMixin, admin.ModelAdmin):
    list_display = ["name", "school", "kind", "status", "is_current", "founded_year"]
    list_filter = ["kind", "status", "is_current", "school__stage"]
    search_fields = ["name", "slogan", "school__name"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    inlines = [BrandImageInline]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["school", "name", "kind", "status", "is_current", "founded_year"]}),
        (_("品牌标识"), {"fields": ["slogan", "logo", "logo_alt", "logo_meaning"]}),
        (_("品牌内容"), {"fields": ["concept", "mechanism", "carriers", "results"]}),
        (_("高级"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(school__in=School.objects.for_user(request.user).values("pk"))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "school":
            kwargs["queryset"] = School.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _school_restricted(request.user):
            fields += ["status", "slug"]  # 已命名 is the district's decision
        return fields


class CampaignStatusFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(str(value), label) for value, label in CampaignStatus.choices]

    def queryset(self, request, queryset):
        if self.value() in {str(value) for value in CampaignStatus.values}:
            return queryset.with_status().filter(status_value=int(self.value()))
        return queryset


@admin.register(Campaign)
class CampaignAdmin(PublicContentAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "year", "result_type", "notice_start", "notice_end", "status_label"]
    list_display += ["award_count"]
    list_filter = [CampaignStatusFilter, "year", "result_type"]
    search_fields = ["title", "organiser"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "year", "organiser", "description"]}),
        (_("结果形式"), {"fields": ["result_type", "grades"]}),
        (_("公示"), {"fields": ["notice_start", "notice_end", "announcement_url"]}),
        (_("高级"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(award_total=Count("awards"))

    @admin.display(description=_("状态"))
    def status_label(self, campaign):
        return campaign.status_label

    @admin.display(description=_("获奖数"), ordering="award_total")
    def award_count(self, campaign):
        return campaign.award_total


@admin.register(Award)
class AwardAdmin(PublicContentAdminMixin, NoLostEditsAdminMixin, PermittedImportExportAdmin):
    formfield_overrides = URL_FIELDS
    resource_classes = [AwardResource]
    list_display = ["title", "recipient_display", "category", "level", "awarded_on", "campaign"]
    list_display += ["result_display"]
    list_filter = ["level", "category", "recipient_kind", "campaign"]
    search_fields = [
        "title",
        "issuing_body",
        "person_name",
        "school__name",
        "brand__name",
        "organization__name",
    ]
    list_select_related = ["school", "brand", "organization", "campaign"]
    autocomplete_fields = ["campaign", "school", "brand", "organization"]
    date_hierarchy = "awarded_on"
    fieldsets = [
        (None, {"fields": ["title", "category", "level", "awarded_on", "issuing_body"]}),
        (
            _("获奖对象"),
            {
                "description": _("先选类型，再只填写对应的一项；个人获奖同时选择所在学校。"),
                "fields": ["recipient_kind", "school", "brand", "organization", "person_name"],
            },
        ),
        (_("评选结果"), {"fields": ["campaign", "rank", "grade"]}),
        (_("公告"), {"fields": ["announcement_url"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Award.objects.for_user(request.user).values("pk"))
        )

    @admin.display(description=_("获奖对象"))
    def recipient_display(self, award):
        return award.recipient_label

    @admin.display(description=_("名次/等次"))
    def result_display(self, award):
        if award.rank:
            return _("第%(rank)s名") % {"rank": award.rank}
        return award.grade or "—"
