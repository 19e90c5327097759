"""Public reads of calls for memories for other pages (objects, productions, home)
and the API, each a fixed number of queries. (What a call's own page and the
listing show is in calls/page_context.py.)"""

from django.db.models import Count, Q, QuerySet

from foundation.view_restrictions import public_pages

from .models import CallPage
from .open_flag import any_call_open
from .page_context import call_share_query

HOME_LIMIT = 2


def calls_open() -> QuerySet[CallPage]:
    return public_pages(CallPage.objects.open()).order_by("closes_at", "-first_published_at", "pk")


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


# --- Open data (API and bulk downloads) ----------------------------------------


def calls_public() -> QuerySet[CallPage]:
    """Live calls anyone may read, with what the API shows, in a fixed number of queries."""
    from memories.models import Memory

    approved = Count("responses", filter=Q(responses__status=Memory.Status.APPROVED))
    return (
        public_pages(CallPage.objects.live())
        .annotate(response_count=approved)
        .prefetch_related("objects_asked_about", "productions", "places")
    )


def call_get_public(*, pk: int) -> CallPage | None:
    return calls_public().filter(pk=pk).first()
