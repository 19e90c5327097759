"""Absolute URLs for open data, with or without a request.

Answers to a request link to the host the client used; files written by
background jobs (bulk downloads) link to the site's configured base URL
(SITE_BASE_URL, bac_collection/site_url.py).
"""

import functools
from urllib.parse import quote

from django.urls import NoReverseMatch, reverse

from bac_collection.site_url import site_url

# Stand-ins that slug and integer URL patterns both accept, and no real value is.
PLACEHOLDERS = ("__argument__", "987654321012345678")


class SiteRoot:
    """Stands in for a request where only `build_absolute_uri` is needed."""

    def build_absolute_uri(self, path: str) -> str:
        return site_url(path)


def absolute_for(request) -> "callable":
    return (request or SiteRoot()).build_absolute_uri


@functools.cache
def _path_template(view_name: str) -> tuple[str, str]:
    for placeholder in PLACEHOLDERS:
        try:
            return reverse(view_name, args=[placeholder]), placeholder
        except NoReverseMatch:
            continue
    raise NoReverseMatch(f"{view_name} does not take a single slug or integer")


def path_for(view_name: str, argument) -> str:
    """reverse(view_name, args=[argument]) for a one-argument URL, without
    resolving the pattern again for every record: lists and bulk downloads build
    several links for each of thousands of records."""
    template, placeholder = _path_template(view_name)
    return template.replace(placeholder, quote(str(argument), safe=""))
