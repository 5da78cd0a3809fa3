from django import forms

from portal.sanitize import sanitize

from .models import Article


class ArticleAdminForm(forms.ModelForm):
    """Cleans the body as the model would, and keeps what was removed for the editor."""

    sanitize_result = None
    original_url = Article._meta.get_field("original_url").formfield(assume_scheme="https")

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
            "status",
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

    def clean_body(self):
        self.sanitize_result = sanitize(self.cleaned_data.get("body") or "")
        return self.sanitize_result.html
