"""Whether any call for memories is open, kept in the cache: most of the time none
is, and the home and object pages then skip their open-calls query.

A call opens only by being published (scheduled publishing publishes too) and
closes by being unpublished, deleted or by its closing time passing: the answer
is dropped on each of those signals and kept no longer than until the next
closing time, nor an hour whatever happens (a change made behind Django's back)."""

import math

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min
from django.db.models.signals import post_delete
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from .models import CallPage

KEY = "calls:any-open"
LONGEST_SECONDS = 60 * 60


def any_call_open() -> bool:
    found = cache.get(KEY)
    if found is not None:
        return found
    now = timezone.now()
    state = CallPage.objects.open(now=now).aggregate(count=Count("pk"), closing=Min("closes_at"))
    found = state["count"] > 0
    seconds = LONGEST_SECONDS
    if state["closing"] is not None:
        seconds = min(seconds, math.ceil((state["closing"] - now).total_seconds()))
    cache.set(KEY, found, max(seconds, 1))
    return found


def forget_open_calls(**kwargs) -> None:
    # Now, and again after the commit for a reader that cached the old answer between.
    cache.delete(KEY)
    transaction.on_commit(lambda: cache.delete(KEY))


def register_signal_handlers() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(forget_open_calls, sender=CallPage, dispatch_uid=f"{KEY}:{signal}")
