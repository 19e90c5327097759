"""HTTP caching for open data: every successful answer has a validator (ETag)
and a lifetime (Cache-Control), and a client that sends the ETag back in
If-None-Match gets 304 Not Modified. Django's get_conditional_response
compares them as RFC 9110 asks: weak (W/"…") and strong tags alike, lists
("a", "b") and *. GET and HEAD are treated the same: a view answers HEAD
with the GET body, which the server drops, so the headers are the same too
(Django's own conditional_page leaves HEAD without an ETag).
"""

import functools

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

# Records, manifests and downloads may change; caches keep them this long, then revalidate.
METADATA_MAX_AGE = 300
# Images never change under a URL (a new scan is a new image id).
IMAGE_MAX_AGE = 7 * 24 * 3600


def cacheable(response: HttpResponse, *, etag: str, max_age: int) -> HttpResponse:
    """`response` with its ETag and Cache-Control."""
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def not_modified(request: HttpRequest, *, etag: str, max_age: int) -> HttpResponse | None:
    """The 304 (or 412, for a failed If-Match) to answer instead of a file whose
    ETag is known in advance, or None to send the file: decided before it is opened."""
    response = get_conditional_response(request, etag=etag)
    if response is not None and response.status_code == 304:
        cacheable(response, etag=etag, max_age=max_age)
    return response


def revalidated(view):
    """View decorator for JSON answers: an ETag from the body's hash (unless the
    view set one), Cache-Control, and 304 when the client's copy is current."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or not 200 <= response.status_code < 300:
            return response
        if not response.has_header("ETag"):
            set_response_etag(response)
        patch_cache_control(response, public=True, max_age=METADATA_MAX_AGE)
        return get_conditional_response(request, etag=response.get("ETag"), response=response)

    return wrapper
