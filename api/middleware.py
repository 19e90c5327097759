"""Content negotiation on object pages: the same URL answers HTML to browsers
and JSON-LD to clients that ask for it (Accept: application/ld+json, with a
Linked Art profile for Linked Art). The JSON-LD answer is open data, readable
from any origin like the .jsonld URL; the HTML page is not."""

from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from . import selectors
from .linked_data import PROFILES, SCHEMA_ORG
from .views import linked_data_response

OBJECT_PAGE = "objects:object"
OBJECT_PAGES_PREFIX = "/collection/"


def requested_profile(accept: str) -> str | None:
    """The JSON-LD profile a client prefers to HTML, or None for HTML.

    Browsers send text/html first; clients wanting data name application/ld+json
    (optionally with a profile parameter) and not text/html before it.
    """
    for media_range in accept.split(","):
        media_type, *params = (part.strip() for part in media_range.split(";"))
        media_type = media_type.lower()
        if media_type in {"text/html", "application/xhtml+xml"}:
            return None
        if media_type == "application/ld+json":
            for param in params:
                name, _, value = param.partition("=")
                if name.strip().lower() == "profile":
                    return PROFILES.get(value.strip().strip('"'), SCHEMA_ORG)
            return SCHEMA_ORG
    return None


def _object_page(request: HttpRequest):
    """The URL match when the request is for an object's page, else None."""
    if not request.path_info.startswith(OBJECT_PAGES_PREFIX):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match if match.view_name == OBJECT_PAGE else None


def cors_for_negotiated_linked_data(sender, request: HttpRequest, **kwargs) -> bool:
    """django-cors-headers' check_request_enabled receiver: CORS for an object URL
    asked for JSON-LD, and for the preflight a browser sends first (an Accept with
    a profile parameter is not a CORS-safelisted header; the preflight carries no
    Accept value, and answering it reveals nothing)."""
    if request.method == "OPTIONS":
        wanted = "access-control-request-method" in request.headers
    else:
        wanted = requested_profile(request.headers.get("Accept", "")) is not None
    return wanted and _object_page(request) is not None


class LinkedDataNegotiationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        match = _object_page(request)
        if match is None:
            return self.get_response(request)
        profile = requested_profile(request.headers.get("Accept", ""))
        if profile is not None:
            obj = selectors.object_get_public(slug=match.kwargs["slug"])
            if obj is not None:
                return linked_data_response(request, obj=obj, profile=profile)
        response = self.get_response(request)
        patch_vary_headers(response, ["Accept"])
        return response
