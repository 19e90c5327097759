"""Where the page cache keeps pages and fragments of pages (foundation/fragment_cache.py),
and how it checks them against the generations they were stored under
(foundation/page_cache.py).

On Redis (production) a hit is one round trip: a Lua script reads the page, compares
each generation it was stored under with the current one, adds 1 to the page's hit
counters (an object page's view count) and answers the page. Storing is one round
trip too, and happens only if the changes generation has not moved since the page
began to render. The scripts read keys they are not given (the generations a page
names), which a single Redis allows and a Redis Cluster would not.

On any other cache (the embedded default's local memory) the same rules take Django's
cache API: the page with the changes generation, then the page's generations.

What is kept is any picklable value: a response for the page cache, HTML for fragments.
"""

import logging
import pickle
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from bac_collection.cache import cache_degraded, cache_increment
from foundation.page_cache import GENERATION_KEY

logger = logging.getLogger(__name__)

# A generation absent when the page was stored reads as '-': it must still be absent.
LOOKUP = """
local changes = redis.call('GET', KEYS[2]) or ''
local entry = redis.call('HMGET', KEYS[1], 'generations', 'value', 'counters')
if not entry[1] then return {0, '', changes} end
for key, stored in string.gmatch(entry[1], '([^\\n]+)\\n([^\\n]+)\\n') do
  if (redis.call('GET', key) or '-') ~= stored then return {0, '', changes} end
end
if entry[3] then
  for counter in string.gmatch(entry[3], '[^\\n]+') do redis.call('INCR', counter) end
end
return {1, entry[2], changes}
"""

# ARGV: the changes generation the page rendered under, the pickled value, its
# lifetime in seconds, its hit counters (newline-separated), then the generations
# it depends on.
STORE = """
if (redis.call('GET', KEYS[2]) or '') ~= ARGV[1] then return 0 end
local generations = {}
for i = 5, #ARGV do
  generations[#generations + 1] = ARGV[i] .. '\\n' .. (redis.call('GET', ARGV[i]) or '-') .. '\\n'
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'generations', table.concat(generations), 'value', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'counters', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


# Many fragments at once: KEYS are the changes generation, then the fragments; the
# answer is the changes generation, then each fragment's value or '' (none current).
LOOKUP_MANY = """
local found = {redis.call('GET', KEYS[1]) or ''}
for i = 2, #KEYS do
  local entry = redis.call('HMGET', KEYS[i], 'generations', 'value')
  local value = entry[2] or ''
  if entry[1] then
    for key, stored in string.gmatch(entry[1], '([^\\n]+)\\n([^\\n]+)\\n') do
      if (redis.call('GET', key) or '-') ~= stored then value = '' break end
    end
  end
  found[#found + 1] = value
end
return found
"""

# ARGV: the changes generation they rendered under, their lifetime, then for each
# fragment of KEYS[2..]: its pickled value, the number of generations it depends
# on, and those generations.
STORE_MANY = """
if (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return 0 end
local at = 3
for i = 2, #KEYS do
  local value, count = ARGV[at], tonumber(ARGV[at + 1])
  local generations = {}
  for j = at + 2, at + 1 + count do
    generations[#generations + 1] = ARGV[j] .. '\\n' .. (redis.call('GET', ARGV[j]) or '-') .. '\\n'
  end
  at = at + 2 + count
  redis.call('DEL', KEYS[i])
  redis.call('HSET', KEYS[i], 'generations', table.concat(generations), 'value', value)
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return 1
"""


@dataclass(frozen=True)
class Lookup:
    stored: Any  # the page (fragments: a list, one each), if stored and current; else None
    changes: int | None  # the changes generation (None: there is none yet)


@dataclass(frozen=True)
class Entry:
    """A fragment to store: its key, its value and the generations it depends on."""

    key: str
    value: Any
    depends_on: list[str]


class RedisPageStore:
    def lookup(self, key: str) -> Lookup | None:
        """None when Redis cannot be asked (no page cache until it answers)."""
        found = cache.run_script(
            LOOKUP, [cache.redis_key(key), cache.redis_key(GENERATION_KEY)], []
        )
        if found is None:
            return None
        hit, pickled, changes = found
        stored = _unpickled(pickled) if hit else None
        return Lookup(stored=stored, changes=int(changes) if changes else None)

    def lookup_many(self, keys: list[str]) -> Lookup | None:
        found = cache.run_script(
            LOOKUP_MANY, [cache.redis_key(GENERATION_KEY), *map(cache.redis_key, keys)], []
        )
        if found is None:
            return None
        changes, *pickled = found
        return Lookup(
            stored=[_unpickled(value) if value else None for value in pickled],
            changes=int(changes) if changes else None,
        )

    def store_many(self, entries: list[Entry], *, seconds: int, changes: int):
        values = []
        for entry in entries:
            body = _pickled(entry.value)
            if body is None:
                return
            values += [body, len(entry.depends_on), *map(cache.redis_key, entry.depends_on)]
        cache.run_script(
            STORE_MANY,
            [cache.redis_key(GENERATION_KEY), *(cache.redis_key(e.key) for e in entries)],
            [str(changes), seconds, *values],
        )

    def store(self, key, value, *, seconds: int, changes: int, depends_on: list[str], counters=()):
        body = _pickled(value)
        if body is None:
            return
        cache.run_script(
            STORE,
            [cache.redis_key(key), cache.redis_key(GENERATION_KEY)],
            [
                str(changes),
                body,
                seconds,
                "\n".join(cache.redis_key(counter) for counter in counters),
                *(cache.redis_key(name) for name in depends_on),
            ],
        )


class CachePageStore:
    def lookup(self, key: str) -> Lookup | None:
        known = _get_many([key, GENERATION_KEY])
        if known is None:
            return None
        entry = known.get(key)
        current = entry is not None and self._is_current(entry["generations"], known)
        if current:
            for counter in entry.get("counters", ()):
                cache_increment(counter)
        return Lookup(
            stored=entry["stored"] if current else None, changes=known.get(GENERATION_KEY)
        )

    def store(self, key, value, *, seconds: int, changes: int, depends_on: list[str], counters=()):
        current = _get_many([GENERATION_KEY, *depends_on])
        if current is None or current.get(GENERATION_KEY) != changes:
            return  # a change was made while it rendered: it may show the old state
        entry = {
            "generations": {name: current.get(name) for name in depends_on},
            "stored": value,
            "counters": list(counters),
        }
        try:
            cache.set(key, entry, seconds)
        except Exception:
            logger.warning("Could not store a page in the cache", exc_info=True)

    def lookup_many(self, keys: list[str]) -> Lookup | None:
        found = [self.lookup(key) for key in keys]
        if None in found:
            return None
        changes = found[0].changes if found else None
        return Lookup(stored=[one.stored for one in found], changes=changes)

    def store_many(self, entries: list[Entry], *, seconds: int, changes: int):
        for entry in entries:
            self.store(
                entry.key,
                entry.value,
                seconds=seconds,
                changes=changes,
                depends_on=entry.depends_on,
            )

    def _is_current(self, generations: dict, known: dict) -> bool:
        missing = [key for key in generations if key not in known]
        if missing:
            found = _get_many(missing)
            if found is None:
                return False
            known = {**known, **found}
        return all(known.get(key) == value for key, value in generations.items())


def page_store() -> RedisPageStore | CachePageStore:
    return RedisPageStore() if hasattr(cache, "run_script") else CachePageStore()


def _get_many(keys: list[str]) -> dict | None:
    """The cache's values for `keys` (absent keys left out), or None if it failed or
    answered from its local fallback."""
    try:
        found = cache.get_many(keys)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None
    return None if cache_degraded() else found


def _pickled(value) -> bytes | None:
    try:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except Exception:
        logger.warning("Could not store a page in the cache", exc_info=True)
        return None


def _unpickled(stored: bytes):
    try:
        return pickle.loads(stored)  # noqa: S301  (our own cache)
    except Exception:  # stored by other code (a deploy): render it again
        logger.warning("Could not read a page from the cache", exc_info=True)
        return None
