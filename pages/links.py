"""Links to the site pages, for every app.

    from pages.links import site_page_url

    site_page_url("privacy", request=request)             # "/privacy/" or None
    site_page_url("open_data", request=request, absolute=True)  # for emails

In templates: `{% load site_pages %}{% site_page_url "privacy" as privacy_url %}`.

Keys are those of SITE_LINKS. The answer is None when no published page plays that
part yet, so callers must cope (hide the link, or say it plainly). A page is found
through the *Site links* setting of the default site (Settings > Site links in the
admin). If the setting is empty, the first published page whose type declares
`site_link = "<key>"` is used, so a new page type (such as the open data page)
joins the footer just by declaring it.
"""

from django.http import HttpRequest
from wagtail.models import Page, get_page_models

from foundation.absolute_urls import absolute_url
from foundation.generational_cache import generational_get_or_set

from .cache import SITE, page_cache_generation
from .models import SiteLinks

# key -> (setting field, footer label), in footer order.
SITE_LINKS = {
    "about": ("about_page", "About the archive"),
    "contact": ("contact_page", "Contact"),
    "privacy": ("privacy_page", "Privacy notice"),
    "accessibility": ("accessibility_page", "Accessibility"),
    "open_data": ("open_data_page", "Open data"),
}


def site_page_url(
    key: str, *, request: HttpRequest | None = None, absolute: bool = False
) -> str | None:
    """The URL of the published page playing the part `key`, or None."""
    if key not in SITE_LINKS:
        raise ValueError(f"Unknown site link {key!r}; choose from {', '.join(SITE_LINKS)}.")
    url = site_page_urls().get(key)
    if url is None or not absolute or "://" in url:
        return url
    return absolute_url(url, request=request)


# However long the page cache keeps pages (even with it off): every page rendered
# needs these, and the site generation keys them.
SITE_LINKS_CACHE_SECONDS = 600


def site_page_urls() -> dict[str, str]:
    """The URL of every published site page by key, in footer order. Every page shows
    the footer, so this is kept in the cache until a page is published or the setting
    changes (the page cache's site generation, which both bump): no queries on most
    requests, one when the cache is cold."""
    generation = page_cache_generation(SITE)
    return generational_get_or_set(
        generation, f"pages:site-links:{generation}", _site_page_urls, SITE_LINKS_CACHE_SECONDS
    )


def _site_page_urls() -> dict[str, str]:
    # The site has one Wagtail Site (the default); its setting and chosen pages come
    # in one query, and URLs are paths below its root page, as Page.url gives them.
    fields = [field for field, _ in SITE_LINKS.values()]
    links = (
        SiteLinks.objects.select_related("site__root_page", *fields)
        .filter(site__is_default_site=True)
        .first()
    )
    if links is None:
        return {}
    root_path = links.site.root_page.url_path
    urls = {}
    for key, (field, _) in SITE_LINKS.items():
        page = getattr(links, field) or _declared_page(key, root_path)
        if page is not None and page.live and page.url_path.startswith(root_path):
            urls[key] = page.url_path[len(root_path) - 1 :]
    return urls


def _declared_page(key: str, root_path: str) -> Page | None:
    models = [model for model in get_page_models() if getattr(model, "site_link", None) == key]
    if not models:
        return None
    return (
        Page.objects.live()
        .type(*models)
        .filter(url_path__startswith=root_path)
        .order_by("path")
        .first()
    )
