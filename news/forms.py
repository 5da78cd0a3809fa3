from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from portal.sanitize import sanitize

from . import workflow
from .models import REVISABLE_FIELDS, Article, ArticleStatus, PendingRevision
from .word_import import check_docx


class ArticleAdminForm(forms.ModelForm):
    """Cleans the body as the model would, and keeps what was removed for the editor.

    The state is not a field: it changes only through the workflow's buttons. When a published
    article has a change waiting for review, the form shows that change (``pending_revision``),
    not the published text, so its author continues from where they stopped.
    """

    sanitize_result = None
    pending_revision = None
    # (action, comment) when the form was sent by a workflow button (set by the admin).
    workflow_step = None
    original_url = Article._meta.get_field("original_url").formfield(assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk and instance.status == ArticleStatus.PUBLISHED:
            self.pending_revision = PendingRevision.objects.filter(article=instance).first()
        if self.pending_revision is not None:
            for name, value in self.pending_revision.content.items():
                if name == "tags":
                    # The tag field compares Tag objects: give it the same shape.
                    value = [Tag(name=tag) for tag in parse_tags(value)]
                if name in self.fields:
                    self.initial[name] = value

    def revisable_content(self):
        """The content fields as this form would save them (see ``REVISABLE_FIELDS``)."""
        content = {}
        for name in REVISABLE_FIELDS:
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

    def clean_body(self):
        self.sanitize_result = sanitize(self.cleaned_data.get("body") or "")
        return self.sanitize_result.html


def article_content(article):
    """The content of ``article`` in the shape of ``ArticleAdminForm.revisable_content``."""
    content = {}
    for name in REVISABLE_FIELDS:
        if name == "tags":
            content[name] = edit_string_for_tags(article.tags.all())
        elif name == "cover":
            content[name] = article.cover.name or ""
        else:
            content[name] = getattr(article, name)
    return content


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
    channel that does not exist) is left out of the search, never an error."""

    q = forms.CharField(label="关键词", required=False)
    channel = forms.ChoiceField(label="栏目", required=False)
    start = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    sort = forms.ChoiceField(
        label="排序", required=False, choices=[("", "相关度"), ("newest", "最新")]
    )

    def __init__(self, *args, **kwargs):
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

    def search_values(self):
        """The valid parameters, with defaults for the others."""
        self.is_valid()
        values = {"q": "", "channel": "", "from": None, "to": None, "sort": ""}
        values.update(self.cleaned_data)
        return values

    def articles(self):
        """The published articles the filters leave."""
        from .channels import channel_tree

        values = self.search_values()
        articles = Article.objects.published()
        channel = channel_tree().get(values["channel"]) if values["channel"] else None
        if channel is not None:
            articles = articles.in_channel(channel)
        if values["from"]:
            articles = articles.filter(publish_at__date__gte=values["from"])
        if values["to"]:
            articles = articles.filter(publish_at__date__lte=values["to"])
        return articles
