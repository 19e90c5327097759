"""Whole-page caching for anonymous visitors: the middleware that serves and stores
pages under the generations of foundation/page_cache.py (what a page shows, and the
bump API apps call), and the epoch that keeps invalidations made while Redis was down.

A page is served only while every generation it was stored under is unchanged; stale
pages are never served (they expire on their own). Apps declare what their changes
retire with foundation/page_cache_changes.py; this app adds the site's own: any page
published, unpublished or moved (`register_page_signals`).

What is cached: GET/HEAD answers with status 200 and an HTML or XML body, to visitors
without a session cookie (staff always see fresh pages), unless the response sets a
cookie, varies on Cookie, or says no-cache/no-store/private (e.g. `never_cache`).
After a hit, `page_cache_hit` is sent so work a view does on every request (such as
counting a view) can still happen, without a query.

A hit costs no query and, on Redis, one round trip (foundation/page_store.py), which also
counts the page's hits (an object page's views). Pages are stored compressed for
visitors whose browsers accept gzip (PageGZipMiddleware sits inside this one), so a
hit is not compressed again: the key tells the two apart.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.dispatch import Signal
from django.utils.cache import cc_delim_re, has_vary_header
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from bac_collection.cache import cache_degraded
from foundation.page_cache import (
    GENERATION_KEY,
    SITE,
    PageDependencies,
    page_cache_epoch,
    page_cache_generation,
    page_cache_recording,
    tag_key,
)
from foundation.page_cache_changes import page_cache_bump_on_commit, page_cache_tags_for
from foundation.page_store import page_store

from .compression import accepts_gzip

logger = logging.getLogger(__name__)

CACHEABLE_TYPES = ("text/html", "application/xml", "text/plain")
UNCACHEABLE_DIRECTIVES = {"no-cache", "no-store", "private"}
EXEMPT_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/", "/documents/")

# Sent after a page is answered from the cache: sender is the middleware class,
# with `request` (its `resolver_match` is set) and the cached `response`.
page_cache_hit = Signal()


# Each process's last reading of PageCacheEpoch: (value, when read).
_epoch_reading = {"value": 0, "read_at": float("-inf")}
EPOCH_READ_SECONDS = 30


def page_cache_bump_epoch() -> None:
    """Retire every page stored so far, through the database: for a bump that could
    not reach the cache (foundation.page_cache.page_cache_on_unreached_bump)."""
    from .models import PageCacheEpoch

    try:
        updated = PageCacheEpoch.objects.filter(pk=1).update(value=F("value") + 1)
        if not updated:
            PageCacheEpoch.objects.get_or_create(pk=1, defaults={"value": 1})
    except DatabaseError:
        logger.exception("Could not record a page cache invalidation; pages may be stale")
        return
    _epoch_reading["read_at"] = float("-inf")  # this process sees it at once


def read_page_cache_epoch() -> int:
    """PageCacheEpoch's value, read from the database at most every EPOCH_READ_SECONDS
    (the last value read is kept while the database is unreachable)."""
    now = time.monotonic()
    if now - _epoch_reading["read_at"] >= EPOCH_READ_SECONDS:
        from .models import PageCacheEpoch

        try:
            value = PageCacheEpoch.objects.filter(pk=1).values_list("value", flat=True).first()
        except Exception:  # the database being down must not break a cached page
            logger.warning("Page cache epoch unreadable; keeping the last one", exc_info=True)
        else:
            _epoch_reading["value"] = value or 0
        _epoch_reading["read_at"] = now
    return _epoch_reading["value"]


def register_page_signals() -> None:
    # Any page published, unpublished or moved (home, site pages, calls...) can change
    # lists, links and the footer of every other page; a page type with a scope of its
    # own (stories: stories/signal_handlers.py) retires only the pages showing it.
    page_published.connect(_bump_scope_on_commit, dispatch_uid="pagecache:page_published")
    page_unpublished.connect(_bump_scope_on_commit, dispatch_uid="pagecache:page_unpublished")
    page_slug_changed.connect(_bump_all_on_commit, dispatch_uid="pagecache:page_slug_changed")
    post_page_move.connect(_bump_all_on_commit, dispatch_uid="pagecache:post_page_move")


def _bump_all_on_commit(**kwargs) -> None:
    page_cache_bump_on_commit()


def _bump_scope_on_commit(instance=None, **kwargs) -> None:
    page_cache_bump_on_commit(None if instance is None else page_cache_tags_for(instance))


# --- The middleware -------------------------------------------------------------


def _cache_key(request) -> str:
    gzip = "gzip" if accepts_gzip(request) else "identity"
    url = f"{request.method}:{gzip}:{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pagecache:page:{page_cache_epoch()}:{digest}"


def _is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and _is_anonymous(request)
        and not request.path_info.startswith(EXEMPT_PREFIXES)
    )


def _cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(CACHEABLE_TYPES):
        return False
    if has_vary_header(response, "Cookie"):
        return False
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & UNCACHEABLE_DIRECTIVES


def _generations_shown(recording: PageDependencies) -> list[str]:
    """The generations a page is stored under: the site's and its tags' if it said
    what it shows, else the changes generation (retired by every change)."""
    if recording.precise:
        return [tag_key(tag) for tag in {SITE, *recording.tags}]
    return [GENERATION_KEY]


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request) or settings.PAGE_CACHE_SECONDS <= 0 or cache_degraded():
            return self.get_response(request)
        key = _cache_key(request)
        store = page_store()
        found = store.lookup(key)
        if found is None:  # Redis down: no page cache until it answers
            return self.get_response(request)
        if found.stored is not None:
            cached = found.stored
            self._announce_hit(request, cached)
            cached["X-Page-Cache"] = "hit"
            return cached
        changes = found.changes or page_cache_generation()
        with page_cache_recording() as recording:
            response = self.get_response(request)
        if changes and _cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            store.store(
                key,
                response,
                seconds=settings.PAGE_CACHE_SECONDS,
                changes=changes,
                depends_on=_generations_shown(recording),
                counters=recording.counters,
            )
            response["X-Page-Cache"] = "miss"
        return response

    def _announce_hit(self, request, response) -> None:
        from django.urls import Resolver404, resolve

        try:
            request.resolver_match = resolve(request.path_info)
        except Resolver404:
            return
        page_cache_hit.send(sender=type(self), request=request, response=response)
