"""Where a day's counts wait in Redis until the flush moves them to the database.

Every key belongs to one day ("impact:2026-12-06:counts") and expires KEEP_DAYS
after it: the flush runs every ten minutes, and counts it could not move within
days of an outage are lost rather than kept. The day's salt expires at the end
of its day (impact.counting).

Counting needs Redis (REDIS_URL). Without it (the embedded default on a laptop)
nothing is counted and the Impact area says so.
"""

import datetime

import redis
from django.conf import settings
from django.utils import timezone

KEEP_DAYS = 3
# A page must never wait long on counting: past these, the view goes uncounted.
SOCKET_TIMEOUT_SECONDS = 0.5

_clients: dict[str, redis.Redis] = {}


def impact_redis() -> redis.Redis | None:
    """The Redis holding the counts (the cache's, REDIS_URL), or None without one."""
    url = settings.REDIS_URL
    if not url:
        return None
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        )
    return _clients[url]


def day_key(day: datetime.date, name: str) -> str:
    return f"impact:{day.isoformat()}:{name}"


def end_of_day(day: datetime.date) -> int:
    """The Unix time of the midnight that ends `day`, in the site's time zone."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return int(timezone.make_aware(midnight).timestamp())


def keep_until(day: datetime.date) -> int:
    return end_of_day(day) + KEEP_DAYS * 24 * 3600
