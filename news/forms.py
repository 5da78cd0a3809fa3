from django import forms
from django.core.exceptions import ValidationError
from taggit.models import Tag
from taggit.utils import edit_string_for_tags, parse_tags

from portal.sanitize import sanitize

from . import workflow
from .models import REVISABLE_FIELDS, Article, ArticleStatus, PendingRevision


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
