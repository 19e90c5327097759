"""What a call's page, its feed and the calls listing show, built from the page in
hand, each a fixed number of queries.

The page models call these from their get_context and routes (calls/models.py), so
nothing here imports them: the calls to list are handed over by the index page, a
call's responses and what it asks about come through the call's own relations.
(Reads of calls for other pages and the API are in calls/selectors.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from memories.selectors import ON_PAGE_LIMIT, memories_for_call

if TYPE_CHECKING:
    from .models import CallPage

FEED_LIMIT = 50


def call_share_query(*, call: CallPage, obj=None) -> str:
    """The memory form's query string for a response to this call (from an object's
    page: about that object)."""
    query = f"call={call.pk}"
    if obj is not None:
        query += f"&object={obj.slug}"
    return query


def call_responses(*, call: CallPage):
    """(the first responses to show, how many there are)."""
    responses = memories_for_call(call=call)
    shown = list(responses[:ON_PAGE_LIMIT])
    count = len(shown) if len(shown) < ON_PAGE_LIMIT else responses.count()
    return shown, count


def call_page_context(*, call: CallPage) -> dict:
    responses, count = call_responses(call=call)
    return {
        "responses": responses,
        "response_count": count,
        "is_open": call.is_open(),
        "asked_about": {
            "objects": list(call.objects_asked_about.filter(live=True).order_by("title"))
            if call.pk
            else [],
            "productions": list(call.productions.all()) if call.pk else [],
            "places": list(call.places.all()) if call.pk else [],
        },
        "share_query": call_share_query(call=call),
    }


def call_listing_context(*, calls: QuerySet[CallPage]) -> dict:
    """The listing's `calls` (newest first), the open ones apart from the closed."""
    now = timezone.now()
    calls = list(calls)
    for call in calls:
        call.share_query = call_share_query(call=call)
    return {
        "open_calls": [call for call in calls if call.is_open(now=now)],
        "closed_calls": [call for call in calls if not call.is_open(now=now)],
    }


def calls_for_feed(*, call: CallPage):
    return list(memories_for_call(call=call).order_by("-approved_at", "-pk")[:FEED_LIMIT])
