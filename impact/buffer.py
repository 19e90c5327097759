"""Counts waiting in the web process on their way to Redis.

A counted request adds to this process's buffer (microseconds, under a lock), and a
background thread sends the buffer every SEND_SECONDS in one pipeline, with the
counts of each kind added up. So a page view never waits on Redis: a process makes
one round trip a second, however many views it serves. What a process has not sent
when it stops is sent on exit; one killed outright loses at most SEND_SECONDS of
counts, as counting never stands in a page's way.

The buffer holds only what Redis gets: salted hashes (never an address or a user
agent), object ids, and a search term's text, which TERM_SCRIPT stores in Redis only
once the term has been searched TERM_MIN_DAILY times that day.
"""

import atexit
import datetime
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from redis.exceptions import RedisError

from .store import day_key, impact_redis, keep_until

logger = logging.getLogger(__name__)

SEND_SECONDS = 1.0
# After Redis fails, counting pauses this long instead of failing every second.
RETRY_SECONDS = 5
TERM_MIN_DAILY = 3

# Adds a term's searches to its day, under the term's salted hash; the term's text is
# stored only once the day's total reaches TERM_MIN_DAILY. KEYS: the day's totals,
# searches that found nothing, and texts. ARGV: hash, text, searches, of which found
# nothing, TERM_MIN_DAILY, when the keys expire.
TERM_SCRIPT = """
local total = redis.call("HINCRBY", KEYS[1], ARGV[1], ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call("HINCRBY", KEYS[2], ARGV[1], ARGV[4]) end
if total >= tonumber(ARGV[5]) then redis.call("HSET", KEYS[3], ARGV[1], ARGV[2]) end
for i = 1, 3 do redis.call("EXPIREAT", KEYS[i], ARGV[6]) end
"""


@dataclass
class DayCounts:
    fields: Counter = field(default_factory=Counter)  # "metric|key": count
    visitors: set[str] = field(default_factory=set)  # salted hashes
    object_ids: set[int] = field(default_factory=set)
    terms: dict[str, list] = field(default_factory=dict)  # hash: [text, searches, nothing]


_lock = threading.Lock()
_days: dict[datetime.date, DayCounts] = {}
_sender = {"pid": None}
_paused_until = [0.0]


def impact_buffer_add(
    *,
    day: datetime.date,
    fields: list[str],
    visitor: str | None = None,
    object_id: int | None = None,
    term: tuple[str, str, bool] | None = None,  # (hash, text, found nothing)
) -> None:
    _start_sender()
    with _lock:
        counts = _days.get(day)
        if counts is None:  # not setdefault: no DayCounts made and dropped per view
            counts = _days[day] = DayCounts()
        counts.fields.update(fields)
        if visitor:
            counts.visitors.add(visitor)
        if object_id is not None:
            counts.object_ids.add(object_id)
        if term:
            key, text, nothing = term
            entry = counts.terms.setdefault(key, [text, 0, 0])
            entry[1] += 1
            entry[2] += int(nothing)


def impact_buffer_term_searches(day: datetime.date, term_hash: str) -> int:
    """This process's searches of a term that day not yet sent to Redis."""
    with _lock:
        counts = _days.get(day)
        entry = counts.terms.get(term_hash) if counts else None
        return entry[1] if entry else 0


def impact_buffer_send() -> None:
    """Send everything this process has buffered to Redis, in one pipeline."""
    with _lock:
        days = dict(_days)
        _days.clear()
    client = impact_redis()
    if not days or client is None:
        return
    pipe = client.pipeline(transaction=False)
    for day, counts in days.items():
        expire = keep_until(day)
        key = day_key(day, "counts")
        for name, n in counts.fields.items():
            pipe.hincrby(key, name, n)
        pipe.expireat(key, expire)
        if counts.visitors:
            pipe.pfadd(day_key(day, "visitors"), *counts.visitors)
            pipe.expireat(day_key(day, "visitors"), expire)
        if counts.object_ids:
            pipe.sadd(day_key(day, "objects"), *counts.object_ids)
            pipe.expireat(day_key(day, "objects"), expire)
        keys = [day_key(day, name) for name in ("terms", "zero-terms", "term-texts")]
        for term_hash, (text, searches, nothing) in counts.terms.items():
            args = [term_hash, text, searches, nothing, TERM_MIN_DAILY, expire]
            pipe.eval(TERM_SCRIPT, len(keys), *keys, *args)
    pipe.execute()


def paused() -> bool:
    return time.monotonic() < _paused_until[0]


def pause(error: Exception) -> None:
    _paused_until[0] = time.monotonic() + RETRY_SECONDS
    logger.warning("Impact counting paused for %ss: %s", RETRY_SECONDS, type(error).__name__)


def _start_sender() -> None:
    """One sending thread a process, started with its first count (after any fork)."""
    pid = os.getpid()
    if _sender["pid"] == pid:
        return
    with _lock:
        if _sender["pid"] == pid:
            return
        _days.clear()  # a forked child's copy of its parent's counts: the parent sends them
        _sender["pid"] = pid
    threading.Thread(target=_send_forever, name="impact-counts", daemon=True).start()
    atexit.register(_send_quietly)


def _send_forever() -> None:
    while True:
        time.sleep(SEND_SECONDS)
        _send_quietly()


def _send_quietly() -> None:
    try:
        impact_buffer_send()
    except RedisError as error:
        pause(error)
    except Exception:
        logger.exception("Could not send impact counts to Redis")
