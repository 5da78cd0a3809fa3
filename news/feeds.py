"""RSS and Atom feeds, site-wide and per channel: the newest published articles.

An item's description is the article's plain-text excerpt, and it must reach readers as text.
Django writes it into RSS ``<description>`` and Atom ``<summary type="html">`` as it is, and a
reader renders that as HTML: ``<img onerror=…>`` typed into a summary would come alive there.
So RSS gets the text escaped as HTML, and Atom says ``type="text"``.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from portal.models import SiteSettings

from .models import Article, Channel

FEED_SIZE = 20


class TextDescriptionRssFeed(Rss201rev2Feed):
    def add_item_elements(self, handler, item):
        if item["description"] is not None:
            item = {**item, "description": escape(item["description"])}
        super().add_item_elements(handler, item)


class TextSummaryAtomFeed(Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class LatestArticlesFeed(Feed):
    feed_type = TextDescriptionRssFeed

    def title(self):
        return SiteSettings.load().site_name

    def link(self):
        return reverse("home")

    def description(self):
        return f"{SiteSettings.load().site_name}最新发布"

    def items(self):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.authors or None

    def item_categories(self, item):
        return [item.channel.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = TextSummaryAtomFeed
    subtitle = LatestArticlesFeed.description


class ChannelFeed(LatestArticlesFeed):
    def get_object(self, request, channel):
        return get_object_or_404(Channel, slug=channel)

    def title(self, obj):
        return f"{obj.name} - {SiteSettings.load().site_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"{obj.name}最新发布"

    def items(self, obj):
        return Article.objects.published().for_listing().in_channel(obj)[:FEED_SIZE]


class ChannelAtomFeed(ChannelFeed):
    feed_type = TextSummaryAtomFeed
    subtitle = ChannelFeed.description
