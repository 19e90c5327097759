"""Absolute URLs, with or without a request, and paths reversed once per view.

Answers to a request link to the host the client used (request.build_absolute_uri).
Anything written without a request (bulk downloads, emails, share images, anything a
background job writes) starts with `SITE_BASE_URL`, the site's public address
(scheme, host and port), the one setting for it.
"""

import functools
from collections.abc import Callable
from urllib.parse import quote, urljoin

from django.conf import settings
from django.urls import NoReverseMatch, reverse

# Stand-ins that slug and integer URL patterns both accept, and no real value is.
PLACEHOLDERS = ("__argument__", "987654321012345678")


def site_url(path: str) -> str:
    """`path` ("/collection/objects/...") on the site's public address. A URL
    that is already absolute (a file on another host) is left as it is."""
    # Site paths are joined by hand: urljoin was a tenth of a bulk dump's time.
    if path.startswith("/") and not path.startswith("//"):
        return settings.SITE_BASE_URL.rstrip("/") + path
    return urljoin(settings.SITE_BASE_URL, path)


def absolute_url(path: str, *, request=None) -> str:
    """`path` on the host the request came to, or on the site's public address."""
    if request is not None:
        return request.build_absolute_uri(path)
    return site_url(path)


class SiteRoot:
    """Stands in for a request where only `build_absolute_uri` is needed."""

    def build_absolute_uri(self, path: str) -> str:
        return site_url(path)


def absolute_for(request) -> Callable[[str], str]:
    """The request's `build_absolute_uri`, or the site's address without one."""
    return (request or SiteRoot()).build_absolute_uri


@functools.cache
def _path_template(view_name: str, fixed: tuple) -> tuple[str, str]:
    for placeholder in PLACEHOLDERS:
        try:
            return reverse(view_name, args=[placeholder, *fixed]), placeholder
        except NoReverseMatch:
            continue
    raise NoReverseMatch(f"{view_name} does not take a slug or integer first")


def path_for(view_name: str, argument, *fixed) -> str:
    """reverse(view_name, args=[argument, *fixed]) without resolving the pattern
    again for every record: lists, search rows and bulk downloads build several
    links for each of thousands of records. `argument` varies (a slug or an id);
    `fixed` are the same for every record (a format)."""
    template, placeholder = _path_template(view_name, fixed)
    return template.replace(placeholder, quote(str(argument), safe=""))
