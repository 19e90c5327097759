"""Parts of pages kept between renders, so a page the page cache has to render (a
search nobody made before, a page after a change) renders only what changed.

A fragment is kept under the same generations as pages (foundation/page_cache.py): the
tags its caller says it shows, and a tag for every record it loaded while rendering
(`object:<id>`, `image:<id>`...). It is served while none of them has changed, and is
not stored if a change was made while it rendered (foundation/page_store.py). The page
around it shows the same tags, whether the fragment was rendered or served.

Previews and drafts must not come here: a fragment is keyed by what it shows of
published content only. While Redis is unreliable, or with FRAGMENT_CACHE_SECONDS at 0,
every fragment is rendered.
"""

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings

from bac_collection.cache import cache_degraded

from .page_cache import (
    SITE,
    page_cache_epoch,
    page_cache_fragment_recording,
    page_cache_generation,
    page_cache_shows,
    tag_key,
)
from .page_store import page_store

Rendered = TypeVar("Rendered")

FRAGMENT_PREFIX = "pagecache:fragment:"


def cached_fragment(name: str, render: Callable[[], Rendered], *, shows: Iterable[str]) -> Rendered:
    """What `render()` returns (HTML, or a dict of HTML parts), kept under `name` until
    a change to what it showed: the tags in `shows` (what it shows beyond the records
    it loads, e.g. a list's order) or any record it loaded."""
    shows = set(shows)
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or cache_degraded():
        page_cache_shows(*shows)
        return render()
    key = f"{FRAGMENT_PREFIX}{page_cache_epoch()}:{name}"
    store = page_store()
    found = store.lookup(key)
    if found is None:  # Redis cannot be asked
        page_cache_shows(*shows)
        return render()
    if found.stored is not None:
        value, tags = found.stored
        page_cache_shows(*tags)
        return value
    # Read before rendering: a change made meanwhile moves it, and the store refuses.
    changes = found.changes or page_cache_generation()
    # The site generation is made on first reading: made after the store, it would
    # look like a change to every fragment stored before it.
    page_cache_generation(SITE)
    with page_cache_fragment_recording() as recording:
        value = render()
    tags = sorted(shows | recording.tags)
    page_cache_shows(*shows)
    if changes:
        store.store(
            key,
            (value, tags),
            seconds=settings.FRAGMENT_CACHE_SECONDS,
            changes=changes,
            depends_on=[tag_key(tag) for tag in {SITE, *tags}],
        )
    return value
