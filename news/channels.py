"""The channel tree: a few dozen rows that every public page needs (the navigation, a channel
page and its sub-channels, the home page's blocks), read in one query and kept with the pages
(``portal.page_cache``) until anything public changes."""

from portal import page_cache

from .models import Channel


class ChannelTree:
    def __init__(self, channels):
        self.channels = channels
        by_pk = {channel.pk: channel for channel in channels}
        for channel in channels:
            if channel.parent_id:
                channel.parent = by_pk[channel.parent_id]
        self._by_slug = {channel.slug: channel for channel in channels}

    def get(self, slug):
        return self._by_slug.get(slug)

    def top_level(self):
        return [channel for channel in self.channels if not channel.parent_id]

    def navigation(self):
        return [channel for channel in self.top_level() if channel.show_in_nav]

    def children(self, channel):
        return [child for child in self.channels if child.parent_id == channel.pk]


def channel_tree():
    return page_cache.cached("channels", _build)


def _build():
    return ChannelTree(list(Channel.objects.all()))
