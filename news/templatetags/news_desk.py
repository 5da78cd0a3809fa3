from django import template
from django.urls import reverse
from django.utils.html import format_html

from .. import desk
from ..models import Notification

register = template.Library()


@register.inclusion_tag("admin/news/desk.html", takes_context=True)
def article_desk(context):
    """The desk panels of the user of this request (the admin home)."""
    return {"panels": desk.panels(context["request"].user)}


@register.simple_tag(takes_context=True)
def notifications_link(context):
    """通知 in the admin header, with the number of unread notices (one query)."""
    user = context["request"].user
    unread = Notification.objects.filter(recipient=user).unread().count()
    label = format_html("通知<strong>（{}）</strong>", unread) if unread else "通知"
    return format_html(
        '<a href="{}" class="notifications-link">{}</a>',
        reverse("admin:news_notification_changelist"),
        label,
    )
