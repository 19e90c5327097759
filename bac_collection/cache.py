"""The site's cache backend: Redis, failing safe to this process's memory while
Redis is down.

Everything the site keeps in the cache (the page cache, rate-limit counters, the
footer's links, view counts, search outage flags) is either rebuilt from the
database or safe to lose, so an unreachable Redis must cost a page nothing. On the
first failed call the cache is marked down for RETRY_SECONDS: calls go to a
local-memory fallback instead (without waiting on a timeout each), then Redis is
tried again. Rate limits therefore keep counting, per process, which is stricter
than counting across processes. What the fallback holds expires within
FALLBACK_MAX_SECONDS, so nothing it caches outlives an outage by more than a minute.

Code that must not trust the fallback (the page cache: each process would serve
its own copy) asks `cache_degraded()` first.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.commands.core import Script
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
FALLBACK_MAX_SECONDS = 60


def cache_degraded() -> bool:
    """Is the default cache answering from its local fallback just now?"""
    return getattr(cache, "degraded", False)


# Redis's INCR creates a missing counter; Django's incr() asks whether it exists
# first, a round trip of its own.
INCREMENT = "return redis.call('INCR', KEYS[1])"


def cache_increment(key: str) -> None:
    """Add 1 to the counter `key`, creating it (kept until deleted) if need be: one
    round trip on Redis. Never raises: a lost count is better than a failed page."""
    try:
        if hasattr(cache, "run_script"):  # Redis (while it is down, the count is lost)
            cache.run_script(INCREMENT, keys=[cache.redis_key(key)], args=[])
            return
        try:
            cache.incr(key)
        except ValueError:  # no counter yet
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)  # another request created it first
    except Exception:
        logger.warning("Could not count in the cache (%s)", key, exc_info=True)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one redis-py client per server. Django makes a new one
    for every call, copying its response callbacks (about 170) each time: 2 ms of a
    page making eight cache calls. redis-py clients are thread-safe and share the
    connection pool either way."""

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._fallback = LocMemCache(
            f"failsafe-{id(self)}", {"TIMEOUT": FALLBACK_MAX_SECONDS, "MAX_ENTRIES": 10_000}
        )
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._scripts: dict[str, Script] = {}

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _mark_down(self, error: Exception) -> None:
        with self._lock:
            first = not self._down_until
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            logger.error("Redis cache unreachable, using local memory until it answers: %s", error)

    def _mark_up(self) -> None:
        if self._down_until:
            with self._lock:
                self._down_until = 0.0
            logger.warning("Redis cache answering again")

    def _call(self, method: str, *args, **kwargs):
        if not self.degraded:
            try:
                result = getattr(super(), method)(*args, **kwargs)
            except RedisError as error:
                self._mark_down(error)
            else:
                self._mark_up()
                return result
        if "timeout" in kwargs:
            kwargs["timeout"] = self._fallback_timeout(kwargs["timeout"])
        return getattr(self._fallback, method)(*args, **kwargs)

    def _fallback_timeout(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return FALLBACK_MAX_SECONDS
        return min(timeout, FALLBACK_MAX_SECONDS)

    def redis_key(self, key: str) -> str:
        """`key` as it is named in Redis (prefix and version), for run_script."""
        return self.make_and_validate_key(key)

    def run_script(self, lua: str, keys: list[str], args: list) -> object | None:
        """Run a Lua script on Redis, in one round trip (`keys` as redis_key names
        them); None while Redis is unreachable, with no fallback: a script reads
        and writes state only Redis shares between processes."""
        if self.degraded:
            return None
        try:
            client = self._cache.get_client(write=True)
            script = self._scripts.get(lua)
            if script is None:
                script = self._scripts.setdefault(lua, client.register_script(lua))
            result = script(keys=keys, args=args, client=client)
        except RedisError as error:
            self._mark_down(error)
            return None
        self._mark_up()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
