"""The site and its root page (home), kept in the cache between publishes: Wagtail
otherwise looks up the site for the request's host, then home's specific row, on
every page it serves (two queries before any routing).

Kept under the site generation, which every publish bumps (so home's own fields
are never older than its last publish), and a version that any change to a Site
bumps; at most five minutes whatever happens."""

import contextlib

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from foundation.page_cache import SITE, page_cache_generation

VERSION_KEY = "pages:site-root-version"
SECONDS = 5 * 60


def _key(request) -> str | None:
    generation = page_cache_generation(SITE)
    if not generation:  # the cache is unreliable: ask the database, as Wagtail does
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # Wagtail's own lookup answers that request
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    return f"pages:site-root:{generation}:{version}:{host}:{request.get_port()}"


def _forget_sites(**kwargs) -> None:
    with contextlib.suppress(ValueError):  # never set: nothing kept under it
        cache.incr(VERSION_KEY)


post_save.connect(_forget_sites, sender=Site, dispatch_uid=VERSION_KEY)
post_delete.connect(_forget_sites, sender=Site, dispatch_uid=VERSION_KEY)


class CachedSiteRootMiddleware:
    """Hands Wagtail the request's site, with home already loaded, from the cache:
    only for the pages Wagtail serves, so other views never pay for the lookup."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return None
        key = _key(request)
        if key is not None:
            site = cache.get(key)
            if site is None:
                site = Site.find_for_request(request)
                if site is not None:
                    site.root_page.specific  # noqa: B018 (loaded now, kept with the site)
                    cache.set(key, site, SECONDS)
            request._wagtail_site = site  # where Site.find_for_request keeps its answer
        return None
