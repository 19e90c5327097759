"""Counting object page views without writing to the database on each request.

A view increments a counter in the shared cache (an atomic INCR on Redis), as does
each view the page cache serves (foundation/page_store.py: in the hit's own round trip). A
Celery beat task (objects.tasks.flush_view_counts_task) periodically moves the
counts into CollectionObject.view_count, which "Never seen before" reads.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from bac_collection.cache import cache_increment
from foundation.page_cache import page_cache_count_hits

from .models import CollectionObject

KEY_PREFIX = "objects:views:"
# How many counters are read from the cache per round trip when flushing.
FLUSH_CHUNK = 1000


def _key(object_id: int) -> str:
    return f"{KEY_PREFIX}{object_id}"


def object_view_record(*, object_id: int) -> None:
    """Count this view of an object, and every view of the page the page cache
    serves from now on (in the same round trip as the hit). Never raises."""
    key = _key(object_id)
    cache_increment(key)
    page_cache_count_hits(key)


def object_views_pending(*, object_ids: list[int]) -> dict[int, int]:
    """Views counted in the cache but not yet flushed, by object id."""
    pending = cache.get_many([_key(pk) for pk in object_ids])
    return {int(key.removeprefix(KEY_PREFIX)): n for key, n in pending.items() if n}


def object_views_flush() -> int:
    """Add the cached view counts to the database and return how many views moved.

    Each counter is claimed by decrementing it by the amount read (views arriving
    meanwhile stay in the cache for next time), then written in one UPDATE per
    distinct count. If the write fails the claimed views are put back, so running
    this again, or twice at once, never counts a view twice.
    """
    object_ids = list(CollectionObject.objects.order_by("pk").values_list("pk", flat=True))
    return sum(
        _flush_chunk(object_ids[start : start + FLUSH_CHUNK])
        for start in range(0, len(object_ids), FLUSH_CHUNK)
    )


def _flush_chunk(object_ids: list[int]) -> int:
    pending = object_views_pending(object_ids=object_ids)
    if not pending:
        return 0
    for pk, n in pending.items():
        cache.decr(_key(pk), n)
    by_count: dict[int, list[int]] = {}
    for pk, n in pending.items():
        by_count.setdefault(n, []).append(pk)
    try:
        with transaction.atomic():
            for n, pks in by_count.items():
                CollectionObject.objects.filter(pk__in=pks).update(view_count=F("view_count") + n)
    except Exception:
        for pk, n in pending.items():
            cache.incr(_key(pk), n)
        raise
    return sum(pending.values())
