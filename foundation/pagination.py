"""The site's one paginator, for collection listings, search and other lists.

Django's Paginator counts its list, which on 100,000 objects is a full COUNT
per page view. Here the total is either given (a search engine says how many
hits it found), cached for a while under the caller's `count_key` (a listing's
key names what makes it stale, e.g. the page cache's generation), or counted as
usual; and paging can be capped (search results past 10,000 are not reachable).
The links are rendered by `{% pagination page %}` (foundation/templatetags/
foundation.py) with templates/includes/pagination.html.
"""

from collections.abc import Sequence

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

COUNT_CACHE_SECONDS = 300


class ArchivePaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page: int,
        *,
        count: int | None = None,
        count_key: str | None = None,
        max_pages: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self._given_count = count
        self.count_key = f"pagination:count:{count_key}" if count_key else None
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        if self._given_count is not None:
            return self._given_count
        if self.count_key is None:
            return super().count
        total = cache.get(self.count_key)
        if total is None:
            total = super().count
            cache.set(self.count_key, total, COUNT_CACHE_SECONDS)
        return total

    @cached_property
    def num_pages(self) -> int:
        pages = super().num_pages
        return min(pages, self.max_pages) if self.max_pages else pages

    @property
    def capped(self) -> bool:
        """Whether there are results past the last page that can be shown."""
        return bool(self.max_pages) and self.count > self.max_pages * self.per_page

    def page_of(self, number: int, items: Sequence) -> Page:
        """Page `number` holding `items`: for a backend that returned only that page."""
        return Page(items, self.validate_number(number), self)
