"""Template helpers shared by every app."""

from django import template

from portal.images import rendition_url

register = template.Library()


@register.filter
def rendition(image, purpose="original"):
    """``{{ article.cover|rendition:"card" }}``: the picture's address, through portal.images."""
    return rendition_url(image, purpose)


@register.simple_tag
def elided_page_range(page):
    """The page numbers a pagination bar shows: the ends, the neighbours, … between."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
