"""Parts of pages kept between renders, so a page the page cache has to render (a
search nobody made before, a page after a change) renders only what changed.

A fragment is kept under the same generations as pages (foundation/page_cache.py): the
tags its caller says it shows, and a tag for every record it loaded while rendering
(`object:<id>`, `image:<id>`...). It is served while none of them has changed, and is
not stored if a change was made while it rendered (foundation/page_store.py). The page
around it shows the same tags, whether the fragment was rendered or served. A list of
fragments (the cards of a page) is looked up in one round trip, and stored in one.

Previews and drafts must not come here: a fragment is keyed by what it shows of
published content only. While Redis is unreliable, or with FRAGMENT_CACHE_SECONDS at 0,
every fragment is rendered.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

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
from .page_store import Entry, page_store

FRAGMENT_PREFIX = "pagecache:fragment:"


@dataclass(frozen=True)
class Fragment:
    """What `render()` returns (HTML, or a dict of HTML parts), kept under `name` until
    a change to what it showed: the tags in `shows` (what it shows beyond the records
    it loads while rendering, e.g. a list's order, or records loaded beforehand) or
    any record it loaded."""

    name: str
    render: Callable[[], Any]
    shows: Iterable[str] = ()


def cached_fragment(name: str, render: Callable[[], Any], *, shows: Iterable[str]) -> Any:
    return cached_fragments([Fragment(name, render, tuple(shows))])[0]


def cached_fragments(
    fragments: list[Fragment], *, before_rendering: Callable[[list[int]], None] | None = None
) -> list:
    """Each fragment's value, in order: those kept, and the others rendered and kept.
    `before_rendering`, given the positions of those about to render, loads what they
    need at once (the images of the cards not kept, in one query)."""
    if not fragments:
        return []
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or cache_degraded():
        return _all_rendered(fragments, before_rendering)
    epoch = page_cache_epoch()
    keys = [f"{FRAGMENT_PREFIX}{epoch}:{fragment.name}" for fragment in fragments]
    store = page_store()
    found = store.lookup_many(keys)
    if found is None:  # Redis cannot be asked
        return _all_rendered(fragments, before_rendering)
    # Read before rendering (the lookup read it if it was there): a change made
    # meanwhile moves it, and the store refuses what was rendered.
    changes = found.changes
    missing = [position for position, stored in enumerate(found.stored) if stored is None]
    if missing:
        changes = changes or page_cache_generation()
        # The site generation is made on first reading: made after the store, it would
        # look like a change to every fragment stored before it.
        page_cache_generation(SITE)
        if before_rendering is not None:
            before_rendering(missing)
    values, rendered = [], []
    for fragment, key, stored in zip(fragments, keys, found.stored, strict=True):
        if stored is not None:
            value, tags = stored
            page_cache_shows(*tags)
        else:
            with page_cache_fragment_recording() as recording:
                value = fragment.render()
            tags = sorted({*fragment.shows, *recording.tags})
            page_cache_shows(*fragment.shows)
            depends_on = [tag_key(tag) for tag in {SITE, *tags}]
            rendered.append(Entry(key=key, value=(value, tags), depends_on=depends_on))
        values.append(value)
    if rendered and changes:
        store.store_many(rendered, seconds=settings.FRAGMENT_CACHE_SECONDS, changes=changes)
    return values


def _all_rendered(fragments: list[Fragment], before_rendering) -> list:
    if before_rendering is not None:
        before_rendering(list(range(len(fragments))))
    rendered = []
    for fragment in fragments:
        page_cache_shows(*fragment.shows)
        rendered.append(fragment.render())
    return rendered
