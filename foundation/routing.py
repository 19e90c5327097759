"""Wagtail finds a page by walking down from the site's root one level at a time:
two queries a level (the child by its slug, then its specific row), four before a
story's own content. `route_by_url_path` finds every page along the path in one
query by their `url_path`s, then loads only the last one's specific row: the same
page Wagtail's walk finds, or the same 404.

The walk stops early, handing the rest to the page itself as Wagtail would, at a
page that routes its own sub-paths: a RoutablePageMixin page whose routes match
the rest of the path, or a page class that overrides `route`."""

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page


def _passes_through(page: Page, rest: list[str]) -> bool:
    """Whether Wagtail's walk would go on from `page` to its child named rest[0]."""
    cls = page.specific_class
    if cls is None:  # a page type no longer installed: Wagtail's walk decides
        return False
    if cls.route is Page.route:
        return True
    if cls.route is RoutablePageMixin.route:
        if not page.live:
            return True
        try:
            cls.get_resolver().resolve("/" + "/".join(rest) + "/")
        except Http404:  # none of its routes matches: its child does
            return True
    return False


def route_by_url_path(root: Page, request, path_components: list[str]):
    rest = [component for component in path_components if component]
    if not rest:
        return None
    prefixes = [root.url_path + "/".join(rest[: n + 1]) + "/" for n in range(len(rest))]
    found = {
        page.url_path: page
        for page in Page.objects.filter(url_path__in=prefixes, path__startswith=root.path)
    }
    page = root
    # `root` calls this from its own route: it passes through.
    while (
        rest
        and (page is root or _passes_through(page, rest))
        and page.url_path + rest[0] + "/" in found
    ):
        child = found[page.url_path + rest[0] + "/"]
        child._cache_parent_page = page  # as Wagtail's walk leaves it
        page, rest = child, rest[1:]
    if page is root:
        return None
    return page.specific.route(request, rest)
