from django import template

from .. import desk

register = template.Library()


@register.inclusion_tag("admin/news/desk.html", takes_context=True)
def article_desk(context):
    """The desk panels of the user of this request (the admin home)."""
    return {"panels": desk.panels(context["request"].user)}
