"""Values cached under a generation, also kept by each process for a minute.

A key that names the generation it was computed under (`page_cache_generation`,
foundation/page_cache.py) keeps its value until a change bumps the generation, which
makes a new key: what a process read under it cannot go stale. So each process keeps
the last values it read, and the reads every page makes (the footer's links, counts
and facets, the stories listing, which objects have memories) cost a Redis round trip
only when a generation moves. At most LOCAL_SECONDS, as the cache's own lifetimes
bound how long a change made behind Django's back (a restore) can go unseen.

Only for values nothing deletes without a bump and no caller changes (numbers, ids,
URLs; not model instances, which pages annotate as they use them), and never under
generation 0 (the cache unreliable: every value is computed or read again).
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

LOCAL_SECONDS = 60
LOCAL_LIMIT = 512

_kept: dict[str, tuple[float, Any]] = {}
_MISSING = object()


def generational_get_or_set(
    generation: int, key: str, compute: Callable[[], Any], seconds: int
) -> Any:
    """The cache's value for `key` (which names `generation`), computed and cached
    for `seconds` if absent."""
    now = time.monotonic()
    kept = _kept.get(key) if generation else None
    if kept is not None and kept[0] > now:
        return kept[1]
    # get then set, not get_or_set: its `add` is one more command that can fail
    # while Redis is down, and a page must render then.
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, seconds)
    if generation:
        if len(_kept) >= LOCAL_LIMIT:
            _kept.clear()
        _kept[key] = (now + min(seconds, LOCAL_SECONDS), value)
    return value


def forget_generational_values() -> None:
    """What this process kept (tests, which start each with an empty cache)."""
    _kept.clear()
