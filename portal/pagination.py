"""Numbered pages of long lists that cost the same on page 500 as on page 1."""

from functools import partial

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from portal import page_cache


class KeysFirstPaginator(Paginator):
    """A paginator for a queryset ordered by indexed columns (ending in the primary key).

    The number of items and each page's rows are kept in the block cache
    (``portal.page_cache.cached``) under ``parts``, which tell this list from the others: within
    a generation, no page counts the list again and each page is read once.

    A page is one query that first takes the keys of its rows with ``OFFSET`` (a subquery an
    index answers without reading the table), then only those rows. Reading whole rows with
    ``OFFSET`` would fetch and throw away every row of the pages before.
    """

    def __init__(self, object_list, per_page, *, parts, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.parts = (*parts, self.per_page, self.orphans)

    @cached_property
    def count(self):
        return page_cache.cached("list_count", self.object_list.count, *self.parts)

    def page(self, number):
        page = super().page(number)
        keys = page.object_list.values("pk")
        page.object_list = page_cache.cached(
            "list_page", partial(self._rows, keys), *self.parts, page.number
        )
        return page

    def _rows(self, keys):
        return list(self.object_list.filter(pk__in=keys))
