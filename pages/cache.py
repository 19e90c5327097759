"""Whole-page caching for anonymous visitors, with one invalidation rule: any change to
content that pages show bumps a *generation*, and pages cached under an older
generation are never served again (they expire on their own).

Joining in, for an app whose models appear on public pages:

    # myapp/apps.py
    def ready(self):
        from pages.cache import page_cache_invalidate_on_change
        page_cache_invalidate_on_change(Memory, Story)

Every save or delete of those models (and, for models with drafts, publish and
unpublish) then bumps the generation at once and again after the transaction
commits. Code that changes rows without signals (bulk updates) calls
`page_cache_bump()` itself.

What is cached: GET/HEAD answers with status 200 and an HTML or XML body, to visitors
without a session cookie (staff always see fresh pages), unless the response sets a
cookie, varies on Cookie, or says no-cache/no-store/private (e.g. `never_cache`).
After a hit, `page_cache_hit` is sent so work a view does on every request (such as
counting a view) can still happen.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils.cache import cc_delim_re, has_vary_header
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from bac_collection.cache import cache_degraded

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
CACHEABLE_TYPES = ("text/html", "application/xml", "text/plain")
UNCACHEABLE_DIRECTIVES = {"no-cache", "no-store", "private"}
EXEMPT_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/", "/documents/")

# Sent after a page is answered from the cache: sender is the middleware class,
# with `request` (its `resolver_match` is set) and the cached `response`.
page_cache_hit = Signal()


def page_cache_generation() -> int:
    """The current generation, or 0 (cache nothing) while the cache is unreliable."""
    if cache_degraded():
        # Its local fallback would give each process a page cache of its own, which
        # no invalidation reaches: render every page until Redis answers again.
        return 0
    try:
        generation = cache.get_or_set(GENERATION_KEY, _fresh_generation, timeout=None)
    except Exception:  # the cache being down must never break a page
        logger.warning("Page cache unavailable", exc_info=True)
        return 0
    if cache_degraded():  # that very call found Redis down
        return 0
    return generation


def _fresh_generation() -> int:
    # From the clock, so a generation lost from the cache never comes back to a number
    # that pages still stored were cached under.
    return int(time.time() * 1000)


def page_cache_bump() -> None:
    """Make every cached page stale. Cheap: one INCR (one UPDATE while Redis is down)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or it was evicted): start a new one
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception:
        logger.warning("Could not bump the page cache generation", exc_info=True)
        _bump_epoch()
        return
    if cache_degraded():  # the bump reached only this process's fallback
        _bump_epoch()


# Each process's last reading of PageCacheEpoch: (value, when read).
_epoch_reading = {"value": 0, "read_at": float("-inf")}
EPOCH_READ_SECONDS = 30


def _bump_epoch() -> None:
    from .models import PageCacheEpoch

    try:
        updated = PageCacheEpoch.objects.filter(pk=1).update(value=F("value") + 1)
        if not updated:
            PageCacheEpoch.objects.get_or_create(pk=1, defaults={"value": 1})
    except DatabaseError:
        logger.exception("Could not record a page cache invalidation; pages may be stale")
        return
    _epoch_reading["read_at"] = float("-inf")  # this process sees it at once


def page_cache_epoch() -> int:
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


def bump_on_commit(**kwargs) -> None:
    """A signal receiver: bump now, and again once the change is committed (a page
    rendered from the old data in between must not survive either)."""
    if kwargs.get("raw"):  # fixture loading
        return
    page_cache_bump()
    transaction.on_commit(page_cache_bump)


def page_cache_invalidate_on_change(*models) -> None:
    """Bump the generation whenever any of `models` is saved, deleted, published or
    unpublished."""
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:delete")
        published.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:published")
        unpublished.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:unpublished")


def register_page_signals() -> None:
    # Any page published, unpublished or moved (home, site pages, stories...) can change
    # lists, links and the footer of every other page.
    page_published.connect(bump_on_commit, dispatch_uid="pagecache:page_published")
    page_unpublished.connect(bump_on_commit, dispatch_uid="pagecache:page_unpublished")
    page_slug_changed.connect(bump_on_commit, dispatch_uid="pagecache:page_slug_changed")
    post_page_move.connect(bump_on_commit, dispatch_uid="pagecache:post_page_move")


def _cache_key(request, generation: int) -> str:
    url = f"{request.method}:{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pagecache:{generation}:{page_cache_epoch()}:{digest}"


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


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request) or settings.PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)
        generation = page_cache_generation()
        key = _cache_key(request, generation)
        try:
            cached = cache.get(key)
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            cached = None
        if cached is not None:
            self._announce_hit(request, cached)
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if generation and _cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            try:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Could not store a page in the cache", exc_info=True)
            response["X-Page-Cache"] = "miss"
        return response

    def _announce_hit(self, request, response) -> None:
        from django.urls import Resolver404, resolve

        try:
            request.resolver_match = resolve(request.path_info)
        except Resolver404:
            return
        page_cache_hit.send(sender=type(self), request=request, response=response)
