"""The site's main navigation, shared by the header of every public page."""

from django.urls import reverse
from django.utils.translation import gettext as _


def main_navigation(channels):
    """(address, label) of each entry: the home page, all news, the navigation's channels, then
    the schools, brands, honours and statistics."""
    return [
        (reverse("home"), _("首页")),
        (reverse("news:all"), _("全部新闻")),
        *((channel.get_absolute_url(), channel.name) for channel in channels),
        (reverse("brands:school_list"), _("学校")),
        (reverse("brands:brand_list"), _("党建品牌")),
        (reverse("brands:award_list"), _("荣誉表彰")),
        (reverse("brands:stats"), _("数据统计")),
    ]
