"""Numbered pages of long lists that cost the same on page 500 as on page 1."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class KeysFirstPaginator(Paginator):
    """A paginator for a queryset ordered by indexed columns (ending in the primary key).

    ``count`` is a callable that gives the number of items: a count kept in the block cache
    (``portal.page_cache.cached``), so that no page counts the list again.

    A page is one query that first takes the keys of its rows with ``OFFSET`` (a subquery an
    index answers without reading the table), then only those rows. Reading whole rows with
    ``OFFSET`` would fetch and throw away every row of the pages before.
    """

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self):
        return self._count()

    def page(self, number):
        page = super().page(number)
        keys = page.object_list.values("pk")
        page.object_list = list(self.object_list.filter(pk__in=keys))
        return page
