"""Absolute URLs for open data, with or without a request.

Answers to a request link to the host the client used; files written by
background jobs (bulk downloads) link to the site's configured base URL.
"""

from urllib.parse import urljoin

from django.conf import settings


class SiteRoot:
    """Stands in for a request where only `build_absolute_uri` is needed."""

    def build_absolute_uri(self, path: str) -> str:
        return urljoin(settings.WAGTAILADMIN_BASE_URL, path)


def absolute_for(request) -> "callable":
    return (request or SiteRoot()).build_absolute_uri
