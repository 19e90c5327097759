"""The site and its root page (home), kept in the cache between publishes: Wagtail
otherwise looks up the site for the request's host, then home's specific row, on
every page it serves (two queries before any routing), and reads the sites' root
paths from the cache (a round trip) to make each page's URL.

Kept under the site generation, which every publish, page move or slug change bumps
(so home's own fields are never older than its last publish), and so does any
change to a Site here; at most five minutes whatever happens. The root paths, plain
values, are also kept by each process (foundation/generational_cache.py)."""

from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site
from wagtail.views import serve as wagtail_serve

from foundation.generational_cache import generational_get_or_set
from foundation.page_cache import SITE, page_cache_generation
from foundation.page_cache_changes import page_cache_bump_on_commit

SECONDS = 5 * 60


def _key(request, generation: int) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # Wagtail's own lookup answers that request
    return f"pages:site-root:{generation}:{host}:{request.get_port()}"


def _forget_sites(**kwargs) -> None:
    # A new hostname, port or root page changes every page's URL.
    page_cache_bump_on_commit()


post_save.connect(_forget_sites, sender=Site, dispatch_uid="pages:site-root")
post_delete.connect(_forget_sites, sender=Site, dispatch_uid="pages:site-root")


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
        generation = page_cache_generation(SITE)
        if not generation:  # the cache is unreliable: ask the database, as Wagtail does
            return None
        key = _key(request, generation)
        if key is not None:
            site = cache.get(key)
            if site is None:
                site = Site.find_for_request(request)
                if site is not None:
                    site.root_page.specific  # noqa: B018 (loaded now, kept with the site)
                    cache.set(key, site, SECONDS)
            request._wagtail_site = site  # where Site.find_for_request keeps its answer
        # Where Page.get_url looks for them first (Page._get_site_root_paths).
        request._wagtail_cached_site_root_paths = generational_get_or_set(
            generation, f"pages:site-root-paths:{generation}", Site.get_site_root_paths, SECONDS
        )
        return None
