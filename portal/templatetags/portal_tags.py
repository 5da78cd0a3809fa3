"""Template helpers shared by every app."""

from django import template

from portal.images import rendition_url

register = template.Library()


@register.filter
def rendition(image, purpose="original"):
    """``{{ article.cover|rendition:"card" }}``: the picture's address, through portal.images."""
    return rendition_url(image, purpose)
