"""Whole-page caching for anonymous visitors, invalidated by *generations*: counters in
the cache that every change bumps. A page is served only while every generation it
was stored under is unchanged; stale pages are never served (they expire on their own).

A change bumps the generations of what it touches (its *tags*) and the *changes*
generation, which every change bumps:

- a page that says nothing of what it shows depends on the changes generation, so any
  change at all retires it (the safe default);
- a page that says what it shows (`page_cache_depends_on`, called while it renders)
  depends on the site generation, the tags it names, and a tag for every record
  it loaded (`page_cache_record_tags`: `object:<id>` for every CollectionObject a
  page builds, for instance). Approving a memory on one object then retires that
  object's page and the lists of memories, not the other objects' pages.

Joining in, for an app whose models appear on public pages:

    # myapp/apps.py
    def ready(self):
        from pages.cache import page_cache_invalidate_on_change
        page_cache_invalidate_on_change(Memory, Story)

Every save or delete of those models (and, for models with drafts, publish and
unpublish) then bumps at once and again after the transaction commits: the tags
`page_cache_scope(Model, tags_for)` gives for the instance, or everything (the
site generation). Code that changes rows without signals (bulk updates) calls
`page_cache_changed(instance)` or `page_cache_bump()` itself.

What is cached: GET/HEAD answers with status 200 and an HTML or XML body, to visitors
without a session cookie (staff always see fresh pages), unless the response sets a
cookie, varies on Cookie, or says no-cache/no-store/private (e.g. `never_cache`).
After a hit, `page_cache_hit` is sent so work a view does on every request (such as
counting a view) can still happen, without a query.

A hit costs two cache round trips and no query: the page with the changes and site
generations, then the generations of the page's other tags in one get_many.
"""

import hashlib
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
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

# Bumped by every change: pages that do not say what they show depend on it, and a
# page whose render overlapped a change is not stored. Caches derived from content
# (counts, facets) are keyed on it too (`page_cache_generation()`).
GENERATION_KEY = "pagecache:generation"
TAG_PREFIX = "pagecache:tag:"
# Changes with no narrower tag (a page published, the footer's links, a term renamed).
SITE = "site"
CACHEABLE_TYPES = ("text/html", "application/xml", "text/plain")
UNCACHEABLE_DIRECTIVES = {"no-cache", "no-store", "private"}
EXEMPT_PREFIXES = ("/admin/", "/healthz", "/static/", "/media/", "/documents/")

# Sent after a page is answered from the cache: sender is the middleware class,
# with `request` (its `resolver_match` is set) and the cached `response`.
page_cache_hit = Signal()


def _tag_key(tag: str) -> str:
    return f"{TAG_PREFIX}{tag}"


def _fresh_generation() -> int:
    # From the clock, so a generation lost from the cache never comes back to a number
    # that pages still stored were cached under.
    return int(time.time() * 1000)


def page_cache_generation(tag: str | None = None) -> int:
    """The generation of `tag` (by default the changes generation, which every change
    bumps), for caches derived from content; 0 (cache nothing) while the cache is
    unreliable."""
    if cache_degraded():
        # Its local fallback would give each process a page cache of its own, which
        # no invalidation reaches: render every page until Redis answers again.
        return 0
    key = GENERATION_KEY if tag is None else _tag_key(tag)
    try:
        generation = cache.get_or_set(key, _fresh_generation, timeout=None)
    except Exception:  # the cache being down must never break a page
        logger.warning("Page cache unavailable", exc_info=True)
        return 0
    if cache_degraded():  # that very call found Redis down
        return 0
    return generation


def page_cache_bump(*tags: str) -> None:
    """Retire the pages that show `tags` (by default every page). Cheap: one INCR per
    tag (one UPDATE while Redis is down, which retires every page)."""
    keys = [GENERATION_KEY, *(_tag_key(tag) for tag in dict.fromkeys(tags or (SITE,)))]
    try:
        # The changes generation first: a page being stored reads it with its tags'
        # (pages/cache.py _store) and is dropped if it moved meanwhile.
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # no generation yet (or it was evicted): start a new one
                cache.set(key, _fresh_generation(), timeout=None)
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


# --- What a change retires ------------------------------------------------------

# model -> (tags_for(instance, before, update_fields), before(instance) or None, bulk)
_scopes: dict = {}
# Rows changed in bulk (records_changed) are read to find their tags up to this many;
# beyond, every page is retired.
BULK_SCOPE_LIMIT = 100


def page_cache_scope(model, *, tags_for, before=None, bulk: bool = False) -> None:
    """Changes to `model` retire only the pages showing the tags that
    `tags_for(instance, before, update_fields)` returns (None: every page; []: none).
    `before(instance)`, if given, reads the row as it was before a save (sent
    pre_save; None for a new row), so a change also retires the pages that showed
    the old state. With `bulk`, rows announced changed in bulk (records_changed with
    `pks`) are read and scoped the same way. Models without a scope retire every page."""
    _scopes[model] = (tags_for, before, bulk)
    if before is not None:
        uid = f"pagecache:{model._meta.label}"
        pre_save.connect(_remember_before, sender=model, dispatch_uid=f"{uid}:before")
        pre_delete.connect(_forget_before, sender=model, dispatch_uid=f"{uid}:before-delete")


def page_cache_has_scope(model) -> bool:
    return model in _scopes


def _remember_before(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        read = _scopes[sender][1]
        instance._page_cache_before = read(instance) if instance.pk is not None else None


def _forget_before(sender, instance, **kwargs) -> None:
    instance._page_cache_before = None  # deleted: everything it showed goes


def page_cache_tags_for(instance, *, update_fields=None) -> list[str] | None:
    """What a change to `instance` retires: its scope's tags, or None (every page)."""
    scope = _scopes.get(type(instance))
    if scope is None:
        return None
    tags_for = scope[0]
    before = getattr(instance, "_page_cache_before", None)
    return list(tags_for(instance, before, update_fields))


def page_cache_changed(instance) -> None:
    """For code that changes `instance` without signals (update()): retire what the
    change shows on, as a save would, now. As if nothing were known of its old state."""
    instance._page_cache_before = None
    _bump_for(page_cache_tags_for(instance))


def _bump_for(tags: list[str] | None) -> None:
    if tags is None:
        page_cache_bump()
    elif tags:
        page_cache_bump(*tags)


def page_cache_bump_on_commit(tags: list[str] | None = None) -> None:
    """Bump `tags` (None: every page) now, and again once the change is committed (a
    page rendered from the old data in between must not survive either)."""
    if tags == []:
        return
    _bump_for(tags)
    transaction.on_commit(lambda: _bump_for(tags))


def _bulk_tags(model, pks) -> list[str] | None:
    scope = _scopes.get(model)
    if scope is None or not scope[2] or not pks or len(pks) > BULK_SCOPE_LIMIT:
        return None
    rows = list(model._default_manager.filter(pk__in=pks))
    if len(rows) != len(set(pks)):  # some are gone: what showed them is not known
        return None
    tags = []
    for row in rows:
        row._page_cache_before = None
        tags += page_cache_tags_for(row)
    return list(dict.fromkeys(tags))


def bump_on_commit(sender=None, instance=None, **kwargs) -> None:
    """A signal receiver for saves, deletes, (un)publishing and records_changed (with
    `pks`): bump the change's tags now and again after commit."""
    if kwargs.get("raw"):  # fixture loading
        return
    if instance is not None:
        tags = page_cache_tags_for(instance, update_fields=kwargs.get("update_fields"))
    else:
        tags = _bulk_tags(sender, kwargs.get("pks"))
    page_cache_bump_on_commit(tags)


def page_cache_invalidate_on_change(*models) -> None:
    """Bump whenever any of `models` is saved, deleted, published or unpublished: the
    tags of the model's scope (page_cache_scope), or every page."""
    for model in models:
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:delete")
        published.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:published")
        unpublished.connect(bump_on_commit, sender=model, dispatch_uid=f"{uid}:unpublished")


def register_page_signals() -> None:
    # Any page published, unpublished or moved (home, site pages, stories...) can change
    # lists, links and the footer of every other page.
    page_published.connect(_bump_all_on_commit, dispatch_uid="pagecache:page_published")
    page_unpublished.connect(_bump_all_on_commit, dispatch_uid="pagecache:page_unpublished")
    page_slug_changed.connect(_bump_all_on_commit, dispatch_uid="pagecache:page_slug_changed")
    post_page_move.connect(_bump_all_on_commit, dispatch_uid="pagecache:post_page_move")


def _bump_all_on_commit(**kwargs) -> None:
    page_cache_bump_on_commit()


# --- What a page shows ----------------------------------------------------------


class _Recording:
    """What the page being rendered said it shows."""

    __slots__ = ("precise", "tags")

    def __init__(self):
        self.precise = False
        self.tags: set[str] = set()


_recording: ContextVar[_Recording | None] = ContextVar("page_cache_recording", default=None)
_record_prefixes: dict = {}


def page_cache_depends_on(*tags: str) -> None:
    """Called while a page renders: it shows `tags` (beside the records it loads, see
    page_cache_record_tags) and nothing else that changes without bumping the site
    generation. Only changes to those retire it. A page that never calls this is
    retired by every change. Outside a cached render (staff, previews) it does nothing."""
    recording = _recording.get()
    if recording is not None:
        recording.precise = True
        recording.tags.update(tags)


def page_cache_record_tags(model, prefix: str) -> None:
    """Every `model` instance built while a page renders adds the tag `<prefix>:<pk>`
    to that page. (Instances unpickled from a cache are not built: a cache of model
    instances must declare their tags itself.)"""
    _record_prefixes[model] = prefix
    post_init.connect(_record_instance, sender=model, dispatch_uid=f"pagecache:{prefix}:record")


def _record_instance(sender, instance, **kwargs) -> None:
    recording = _recording.get()
    if recording is not None and instance.pk is not None:
        recording.tags.add(f"{_record_prefixes[sender]}:{instance.pk}")


# --- The middleware -------------------------------------------------------------


def _cache_key(request) -> str:
    url = f"{request.method}:{request.get_host()}{request.get_full_path()}"
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


def _get_many(keys: list[str]) -> dict | None:
    """The cache's values for `keys` (absent keys left out), or None if it failed or
    answered from its local fallback."""
    try:
        found = cache.get_many(keys)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None
    return None if cache_degraded() else found


def _is_current(generations: dict, known: dict) -> bool:
    """Whether every generation a page was stored under is still the current one (a
    generation absent then is stored as None: it must still be absent)."""
    missing = [key for key in generations if key not in known]
    if missing:
        found = _get_many(missing)
        if found is None:
            return False
        known = {**known, **found}
    return all(known.get(key) == value for key, value in generations.items())


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request) or settings.PAGE_CACHE_SECONDS <= 0 or cache_degraded():
            return self.get_response(request)
        key = _cache_key(request)
        known = _get_many([key, GENERATION_KEY, _tag_key(SITE)])
        if known is None:  # Redis down: no page cache until it answers
            return self.get_response(request)
        entry = known.pop(key, None)
        if entry is not None and _is_current(entry["generations"], known):
            cached = entry["response"]
            self._announce_hit(request, cached)
            cached["X-Page-Cache"] = "hit"
            return cached
        changes = known.get(GENERATION_KEY) or page_cache_generation()
        recording = _Recording()
        token = _recording.set(recording)
        try:
            response = self.get_response(request)
        finally:
            _recording.reset(token)
        if changes and _cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            self._store(key, response, recording, changes)
            response["X-Page-Cache"] = "miss"
        return response

    def _store(self, key, response, recording: _Recording, changes: int) -> None:
        """Store the page under the generations it depends on, unless a change was
        made while it rendered (it may show some of the old state)."""
        tag_keys = [_tag_key(tag) for tag in {SITE, *recording.tags}] if recording.precise else []
        current = _get_many([GENERATION_KEY, *tag_keys])
        if current is None or current.get(GENERATION_KEY) != changes:
            return
        if recording.precise:
            generations = {tag_key: current.get(tag_key) for tag_key in tag_keys}
        else:
            generations = {GENERATION_KEY: changes}
        try:
            cache.set(
                key, {"generations": generations, "response": response}, settings.PAGE_CACHE_SECONDS
            )
        except Exception:
            logger.warning("Could not store a page in the cache", exc_info=True)

    def _announce_hit(self, request, response) -> None:
        from django.urls import Resolver404, resolve

        try:
            request.resolver_match = resolve(request.path_info)
        except Resolver404:
            return
        page_cache_hit.send(sender=type(self), request=request, response=response)
