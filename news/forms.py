from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from portal import page_cache
from portal.gate import Content
from portal.sanitize import sanitize

from . import workflow
from .models import CONTENT_FIELDS, COVER_FOCUS_FIELDS, Article, ArticleStatus, PendingChange
from .word_import import check_docx


class ArticleAdminForm(forms.ModelForm):
    """Cleans the body as the model would, and keeps what was removed for the editor.

    The state is not a field: it changes only through the workflow's buttons. When a published
    article has a change waiting for review, the form shows that change (``pending_change``),
    not the published text, so its author continues from where they stopped.
    """

    sanitize_result = None
    pending_change = None
    # (action, comment) when the form was sent by a workflow button (set by the admin).
    workflow_step = None
    # Set by the admin when saving this form makes the content public at once (a final-level
    # reviewer's edit, a restore or a recovery of a published article): the publication gate
    # is asked before anything is saved, for this user.
    goes_public_for = None
    # Set by the admin when saving this form sends a change of a published article to review:
    # like 送审, a finding that blocks stops it.
    proposes_change = False
    original_url = Article._meta.get_field("original_url").formfield(assume_scheme="https")
    # Rendered by the workflow panel when the gate has findings that need a reviewer.
    gate_reason = forms.CharField(
        label="内容检查确认理由",
        required=False,
        widget=forms.Textarea({"rows": 2, "cols": 40}),
        help_text="核实需要确认的内容后，写明可以公开的理由；会记入流转记录和审计日志。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form that leaves the focal point out (a page opened before it existed) keeps it.
        for name in COVER_FOCUS_FIELDS:
            if name in self.fields:
                self.fields[name].required = False
        instance = self.instance
        if instance.pk and instance.status == ArticleStatus.PUBLISHED:
            self.pending_change = PendingChange.objects.filter(article=instance).first()
        if self.pending_change is not None:
            for name, value in self.pending_change.content.items():
                if name == "tags":
                    # The tag field compares Tag objects: give it the same shape.
                    value = [Tag(name=tag) for tag in parse_tags(value)]
                if name in self.fields:
                    self.initial[name] = value

    def content_values(self):
        """The content fields as this form would save them, in the shape a ``PendingChange``
        keeps them (see ``CONTENT_FIELDS``)."""
        content = {}
        for name in CONTENT_FIELDS:
            if name not in self.fields:
                continue
            if name == "tags":
                names = self.cleaned_data.get("tags") or []
                content[name] = edit_string_for_tags([Tag(name=tag) for tag in names])
            elif name == "cover":
                content[name] = self._stored_cover()
            else:
                content[name] = getattr(self.instance, name)
        return content

    def _stored_cover(self):
        """The cover's file name; a new upload is stored first (the pending change keeps it)."""
        cover = self.instance.cover
        if cover and not cover._committed:
            cover.save(cover.name, cover.file, save=False)
        return cover.name or ""

    class Meta:
        model = Article
        fields = [
            "kicker",
            "title",
            "subtitle",
            "summary",
            "body",
            "channel",
            "tags",
            "schools",
            "brand",
            "cover",
            "cover_alt",
            *COVER_FOCUS_FIELDS,
            "publish_at",
            "is_headline",
            "is_recommended",
            "is_carousel",
            "is_pinned",
            "pin_order",
            "authors",
            "source",
            "print_edition",
            "original_url",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if self.workflow_step is not None:
            reason = workflow.missing_comment(*self.workflow_step)
            if reason:
                raise ValidationError(reason, code="workflow_comment")
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        if self.errors:
            return
        refusal = None
        if self.goes_public_for is not None:
            refusal = workflow.gate_refusal(
                self.instance,
                self.goes_public_for,
                self.gate_content(),
                self.cleaned_data.get("gate_reason") or "",
            )
        elif self.proposes_change:
            refusal = workflow.submit_refusal(self.instance, self.gate_content())
        if refusal:
            self.add_error(None, ValidationError(refusal, code="gate"))

    def gate_content(self):
        """What the publication gate checks of this form's article: its values as they would be
        saved, the body as it was typed (so that what the sanitiser removes is reported)."""
        content = self.instance.gate_content()
        return Content(texts=content.texts, html=content.html | {"正文": self.data.get("body", "")})

    def clean_cover_focus_x(self):
        return self._kept_if_empty("cover_focus_x")

    def clean_cover_focus_y(self):
        return self._kept_if_empty("cover_focus_y")

    def _kept_if_empty(self, name):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_body(self):
        self.sanitize_result = sanitize(self.cleaned_data.get("body") or "")
        return self.sanitize_result.html


# 一周内 / 一月内 / 一年内: how many days back a quick date choice reaches.
WITHIN_DAYS = {"week": 7, "month": 31, "year": 366}


class WordImportForm(forms.Form):
    """从 Word 导入: the .docx and the channel of the new draft. ``channel_field`` is the
    article form's own channel field, so the import offers the channels the article form does."""

    file = forms.FileField(
        label="Word 文档",
        widget=forms.FileInput(attrs={"accept": ".docx"}),
    )

    def __init__(self, *args, channel_field, **kwargs):
        super().__init__(*args, **kwargs)
        size = filesizeformat(settings.WORD_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = (
            f"Word 或 WPS 保存的 .docx 文件，不超过 {size}。"
            "旧版 .doc、WPS 的 .wps 文件请先另存为 .docx。"
        )
        self.fields["channel"] = channel_field

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_docx(upload)
        return upload


class SearchForm(forms.Form):
    """搜索's parameters, all optional: a value that does not fit (a date that is no date, a
    channel or school that does not exist) is left out of the search, never an error."""

    q = forms.CharField(label="关键词", required=False)
    channel = forms.ChoiceField(label="栏目", required=False)
    school = forms.ChoiceField(label="学校", required=False)
    within = forms.ChoiceField(
        label="时间",
        required=False,
        choices=[("", "不限"), ("week", "一周内"), ("month", "一月内"), ("year", "一年内")],
    )
    start = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    sort = forms.ChoiceField(
        label="排序", required=False, choices=[("", "相关度"), ("newest", "最新")]
    )

    # The request parameters of the search page (its page cache key).
    PARAMETERS = ["q", "channel", "school", "within", "from", "to", "sort", "page"]

    def __init__(self, *args, **kwargs):
        from brands.models import School

        from .channels import channel_tree

        super().__init__(*args, **kwargs)
        # The addresses say ?from=…&to=…, names Python keeps for itself.
        self.fields["from"] = self.fields.pop("start")
        self.fields["to"] = self.fields.pop("end")
        self.fields["sort"] = self.fields.pop("sort")
        tree = channel_tree()
        self.fields["channel"].choices = [("", "全部栏目")] + [
            (channel.slug, str(channel)) for channel in tree.channels
        ]
        schools = page_cache.cached(
            "search_schools", lambda: list(School.objects.values_list("slug", "name"))
        )
        self.fields["school"].choices = [("", "全部学校"), *schools]

    def search_values(self):
        """The valid parameters, with defaults for the others."""
        self.is_valid()
        values = {"q": "", "channel": "", "school": "", "within": "", "from": None, "to": None}
        values["sort"] = ""
        values.update(self.cleaned_data)
        if values["within"] and not values["from"]:
            days = WITHIN_DAYS[values["within"]]
            values["from"] = timezone.localdate() - timezone.timedelta(days=days)
        return values

    def articles(self):
        """The published articles the filters leave."""
        from .channels import channel_tree

        values = self.search_values()
        articles = Article.objects.published()
        channel = channel_tree().get(values["channel"]) if values["channel"] else None
        if channel is not None:
            articles = articles.in_channel(channel)
        if values["school"]:
            articles = articles.filter(schools__slug=values["school"])
        if values["from"]:
            articles = articles.filter(publish_at__date__gte=values["from"])
        if values["to"]:
            articles = articles.filter(publish_at__date__lte=values["to"])
        return articles
