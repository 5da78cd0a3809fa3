from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.admin_mixins import NoLostEditsAdminMixin
from portal.models import SiteSettings
from portal.sanitize import sanitize

from .forms import ArticleAdminForm
from .models import Article, ArticleAttachment, Channel

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
    fields = ["title", "file", "order"]


def _flag_action(field, label, value):
    def action(modeladmin, request, queryset):
        updated = queryset.update(**{field: value})
        verb = _("设为") if value else _("取消")
        modeladmin.message_user(
            request,
            _("已将 %(count)d 篇文章%(verb)s%(label)s。")
            % {"count": updated, "verb": verb, "label": label},
            messages.SUCCESS,
        )

    action.__name__ = f"{'set' if value else 'clear'}_{field}"
    action.short_description = (_("设为%s") if value else _("取消%s")) % label
    action.allowed_permissions = ("change",)
    return action


@admin.register(Article)
class ArticleAdmin(NoLostEditsAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "channel",
        "status",
        "publish_at",
        "flags",
        "view_count",
    ]
    list_display_links = ["title"]
    list_filter = [
        "channel",
        "status",
        "is_headline",
        "is_recommended",
        "is_carousel",
        "is_pinned",
        "schools",
        "publish_at",
    ]
    list_select_related = ["channel"]
    search_fields = ["title", "subtitle", "kicker"]
    date_hierarchy = "publish_at"
    filter_horizontal = ["schools"]
    inlines = [ArticleAttachmentInline]
    readonly_fields = ["view_count", "created_by", "created_at", "updated_at"]
    view_on_site = True
    save_on_top = True
    actions = [
        _flag_action(field, label, value)
        for field, label in FLAGS.items()
        for value in (True, False)
    ]
    fieldsets = [
        (_("标题"), {"fields": ["kicker", "title", "subtitle", "summary"]}),
        (_("正文"), {"fields": ["body"]}),
        (_("栏目与关联"), {"fields": ["channel", "tags", "schools", "brand"]}),
        (_("封面"), {"fields": ["cover", "cover_alt"]}),
        (
            _("发布"),
            {
                "fields": [
                    "status",
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
                "fields": ["view_count", "created_by", "created_at", "updated_at"],
            },
        ),
    ]

    @admin.display(description=_("标记"))
    def flags(self, obj):
        return " ".join(str(label) for label in obj.flag_labels) or "—"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("source", SiteSettings.load().site_name)
        return initial

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    def save_model(self, request, obj, form, change):
        if not change or obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
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
