"""Public reads of calls for memories, each a fixed number of queries."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from memories.selectors import ON_PAGE_LIMIT, memories_for_call

from .models import CallIndexPage, CallPage
from .open_flag import any_call_open

FEED_LIMIT = 50
HOME_LIMIT = 2


def calls_open() -> QuerySet[CallPage]:
    return CallPage.objects.open().order_by("closes_at", "-first_published_at", "pk")


def calls_open_for(*, obj=None, production=None) -> list[CallPage]:
    """The open calls asking about an object (or its production), or a production:
    one query, none while no call is open."""
    if not any_call_open():
        return []
    if obj is not None:
        about = Q(objects_asked_about=obj)
        if obj.production_id:
            about |= Q(productions=obj.production_id)
    else:
        about = Q(productions=production)
    calls = list(calls_open().filter(about).distinct())
    for call in calls:
        call.share_query = call_share_query(call=call, obj=obj)
    return calls


def calls_for_home() -> list[CallPage]:
    if not any_call_open():
        return []
    calls = list(calls_open()[:HOME_LIMIT])
    for call in calls:
        call.share_query = call_share_query(call=call)
    return calls


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


def call_share_query(*, call: CallPage, obj=None) -> str:
    """The memory form's query string for a response to this call (from an object's
    page: about that object)."""
    query = f"call={call.pk}"
    if obj is not None:
        query += f"&object={obj.slug}"
    return query


def call_listing_context(*, index: CallIndexPage) -> dict:
    calls = CallPage.objects.live().child_of(index).order_by("-first_published_at", "-pk")
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


# --- Open data (API and bulk downloads) ----------------------------------------


def calls_public() -> QuerySet[CallPage]:
    """Live calls anyone may read, with what the API shows, in a fixed number of queries."""
    from memories.models import Memory

    approved = Count("responses", filter=Q(responses__status=Memory.Status.APPROVED))
    return (
        CallPage.objects.live()
        .public()
        .annotate(response_count=approved)
        .prefetch_related("objects_asked_about", "productions", "places")
    )


def call_get_public(*, pk: int) -> CallPage | None:
    return calls_public().filter(pk=pk).first()
