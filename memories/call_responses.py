"""Memories given in answer to a call for memories (calls/): which call a share
form answers, what the memory is then about, and where a closed call's form goes.

Calls sit above memories, so this module never imports them: a memory's `call`
foreign key (declared by the string "calls.CallPage") gives the model.
"""

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import HttpRequest

from foundation.view_restrictions import any_view_restriction

from .models import Memory

if TYPE_CHECKING:
    from calls.models import CallPage


def call_from_query(request: HttpRequest) -> "CallPage | None":
    """The live call named by ?call=<id>, open or closed (a closed one is refused
    when the form is sent, with the visitor's words kept). A call behind a view
    restriction the visitor has not passed is as unknown: the form must not name it."""
    value = request.GET.get("call", "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    call_model = Memory._meta.get_field("call").related_model
    call = call_model.objects.live().filter(pk=int(value)).first()
    if call is None or not any_view_restriction():
        return call
    let_in = all(rule.accept_request(request) for rule in call.get_view_restrictions())
    return call if let_in else None


def call_subject(call: "CallPage") -> dict:
    """What a response sent from the call's own page is about: the first object
    the call asks about, else its first production, else nothing in particular."""
    obj = call.objects_asked_about.filter(live=True).order_by("title").first()
    if obj is not None:
        return {"object": obj}
    return {"production": call.productions.order_by("title").first()}


def share_action(request, *, closed_call: "CallPage | None") -> str:
    """Where the share form posts: back to itself, or after its call closed, to
    the same form without the call (the memory is then kept as a plain memory)."""
    if closed_call is None:
        return request.get_full_path()
    query = request.GET.copy()
    query.pop("call", None)
    if closed_call is not None and not query:
        return request.path
    return f"{request.path}?{urlencode(query)}"
