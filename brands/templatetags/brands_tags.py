"""Template helpers of the brands pages."""

from django import template

from portal.images import rendition_url

register = template.Library()


@register.filter
def rendition(image, purpose="original"):
    """``{{ brand.logo|rendition:"logo" }}``: the picture's address, through portal.images."""
    return rendition_url(image, purpose)
