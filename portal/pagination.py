"""Numbered pages of long lists that cost the same on page 500 as on page 1."""

from functools import partial

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from portal import page_cache


class KeysFirstPaginator(Paginator):
    """A paginator for a queryset ordered by indexed columns (ending in the primary key).

    The number of items and each page's rows are kept in the block cache
    (``portal.page_cache.cached``) under ``parts``, which tell this list from the others: within
    a generation, no page counts the list again and each page is read once. A page's rows are
    looked up when first used: a page whose list is kept rendered (``{% kept %}``) needs none.

    ``object_list`` may be a lazy queryset (``SimpleLazyObject``): it is built only when the
    count or a page's rows are not kept yet.

    A page is one query that first takes the keys of its rows with ``OFFSET`` (a subquery an
    index answers without reading the table), then only those rows. Reading whole rows with
    ``OFFSET`` would fetch and throw away every row of the pages before.
    """

    def __init__(self, object_list, per_page, *, parts, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.parts = (*parts, self.per_page, self.orphans)

    def _check_object_list_is_ordered(self):
        # Not asked: the lists are ordered by their index, and asking would build a query that
        # the kept count and rows make unnecessary (``object_list`` may be a lazy queryset).
        pass

    @cached_property
    def count(self):
        return page_cache.cached("list_count", lambda: self.object_list.count(), *self.parts)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = partial(self._rows, bottom, top)
        return self._get_page(
            SimpleLazyObject(partial(page_cache.cached, "list_page", rows, *self.parts, number)),
            number,
            self,
        )

    def _rows(self, bottom, top):
        keys = self.object_list[bottom:top].values("pk")
        return list(self.object_list.filter(pk__in=keys))
