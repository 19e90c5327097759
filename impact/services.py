"""Writes: moving the counts waiting in Redis into daily rows, and the backfill."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from objects.models import CollectionObject

from .buffer import impact_buffer_send
from .models import DailyCount, Metric, ObjectFirstSeen, SearchTermDay
from .store import KEEP_DAYS, day_key, impact_redis, keep_until


@dataclass
class Pending:
    """One day's counts, taken out of Redis."""

    counts: dict[tuple[str, str], int]  # (metric, key): count
    terms: dict[str, tuple[str, int, int]]  # salted hash: (term, searches, with no results)
    object_ids: set[int]
    visitors: int

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + sum(total for _, total, _ in self.terms.values())


def impact_flush(*, today: datetime.date | None = None) -> int:
    """Move every count waiting in Redis into the database; return how many moved.

    Oldest day first, so an object's first day seen is its earliest. A day's counts
    are read and deleted in one Redis transaction, so flushes running twice, or at
    once, move each count once; if the database write fails they are put back. Days
    before today are final: the search terms searched fewer than TERM_MIN_DAILY
    times that day are deleted with the day's visitors sketch.
    """
    client = impact_redis()
    if client is None:
        return 0
    impact_buffer_send()  # this process's own, if it counts too (in production it does not)
    today = today or timezone.localdate()
    return sum(
        _flush_day(client, today - datetime.timedelta(days=age), final=age > 0)
        for age in range(KEEP_DAYS, -1, -1)
    )


def impact_backfill() -> int:
    """Objects viewed before counting by day began (CollectionObject.view_count > 0)
    are recorded as seen, on a day unknown. Returns how many were added."""
    seen = (
        CollectionObject.objects.filter(view_count__gt=0)
        .exclude(pk__in=ObjectFirstSeen.objects.values("object_id"))
        .values_list("pk", flat=True)
    )
    added = ObjectFirstSeen.objects.bulk_create(
        [ObjectFirstSeen(object_id=pk, first_seen=None) for pk in seen],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return len(added)


def _flush_day(client, day: datetime.date, *, final: bool) -> int:
    pending = _take(client, day)
    try:
        with transaction.atomic():
            _add_counts(DailyCount, day, pending.counts, ("metric", "key"))
            terms = {}
            for term, total, zeros in pending.terms.values():
                for zero_results, count in ((True, zeros), (False, total - zeros)):
                    if count:
                        terms[(term, zero_results)] = terms.get((term, zero_results), 0) + count
            _add_counts(SearchTermDay, day, terms, ("term", "zero_results"))
            _record_first_seen(day, pending.object_ids)
            _record_visitors(day, pending.visitors)
    except Exception:
        _put_back(client, day, pending)
        raise
    if final:
        client.delete(
            *(day_key(day, name) for name in ("terms", "zero-terms", "term-texts", "visitors"))
        )
    return pending.total


def _take(client, day: datetime.date) -> Pending:
    counts_key, objects_key = day_key(day, "counts"), day_key(day, "objects")
    pipe = client.pipeline(transaction=True)
    pipe.hgetall(counts_key)
    pipe.delete(counts_key)
    pipe.smembers(objects_key)
    pipe.delete(objects_key)
    pipe.pfcount(day_key(day, "visitors"))
    counts, _, object_ids, _, visitors = pipe.execute()

    # Only terms whose text is known (searched TERM_MIN_DAILY times that day) move.
    texts = client.hgetall(day_key(day, "term-texts"))
    terms = {}
    if texts:
        hashes = list(texts)
        totals_key, zeros_key = day_key(day, "terms"), day_key(day, "zero-terms")
        pipe = client.pipeline(transaction=True)
        pipe.hmget(totals_key, hashes)
        pipe.hmget(zeros_key, hashes)
        pipe.hdel(totals_key, *hashes)
        pipe.hdel(zeros_key, *hashes)
        totals, zeros, _, _ = pipe.execute()
        terms = {
            key: (texts[key], int(total), int(zero or 0))
            for key, total, zero in zip(hashes, totals, zeros, strict=True)
            if total
        }
    return Pending(
        counts={tuple(name.split("|", 1)): int(n) for name, n in counts.items()},
        terms=terms,
        object_ids={int(pk) for pk in object_ids},
        visitors=visitors,
    )


def _put_back(client, day: datetime.date, pending: Pending) -> None:
    expire = keep_until(day)
    counts_key, objects_key = day_key(day, "counts"), day_key(day, "objects")
    totals_key, zeros_key = day_key(day, "terms"), day_key(day, "zero-terms")
    pipe = client.pipeline(transaction=False)
    for (metric, key), n in pending.counts.items():
        pipe.hincrby(counts_key, f"{metric}|{key}", n)
    if pending.object_ids:
        pipe.sadd(objects_key, *pending.object_ids)
    for key, (_, total, zeros) in pending.terms.items():
        pipe.hincrby(totals_key, key, total)
        pipe.hincrby(zeros_key, key, zeros)
    for name in (counts_key, objects_key, totals_key, zeros_key):
        pipe.expireat(name, expire)
    pipe.execute()


def _add_counts(model, day: datetime.date, counts: dict[tuple, int], fields: tuple) -> None:
    """Add `counts` (by the values of `fields`) to the day's rows of `model`."""
    if not counts:
        return
    rows = {
        tuple(getattr(row, name) for name in fields): row
        for row in model.objects.select_for_update().filter(day=day)
    }
    for key, n in counts.items():
        if key in rows:
            rows[key].count += n
    model.objects.bulk_update([rows[key] for key in counts if key in rows], ["count"])
    model.objects.bulk_create(
        [
            model(day=day, count=n, **dict(zip(fields, key, strict=True)))
            for key, n in counts.items()
            if key not in rows
        ]
    )


def _record_first_seen(day: datetime.date, object_ids: set[int]) -> None:
    if not object_ids:
        return
    known = ObjectFirstSeen.objects.filter(object_id__in=object_ids).values_list(
        "object_id", flat=True
    )
    # An object deleted since it was seen is skipped.
    new = CollectionObject.objects.filter(pk__in=object_ids - set(known)).values_list(
        "pk", flat=True
    )
    ObjectFirstSeen.objects.bulk_create(
        [ObjectFirstSeen(object_id=pk, first_seen=day) for pk in new], ignore_conflicts=True
    )


def _record_visitors(day: datetime.date, visitors: int) -> None:
    """The sketch's estimate so far (it grows through the day); never lowered, as a
    request straggling past midnight can start a new sketch for a day already flushed."""
    if not visitors:
        return
    row, created = DailyCount.objects.get_or_create(
        day=day, metric=Metric.VISITORS, key="", defaults={"count": visitors}
    )
    if not created and visitors > row.count:
        DailyCount.objects.filter(pk=row.pk).update(count=visitors)
