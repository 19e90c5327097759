"""Wagtail finds a page by walking down from the site's root one level at a time:
two queries a level (the child by its slug, then its specific row), four before a
story's own content. `route_by_url_path` finds every page along the path in one
query by their `url_path`s, then loads only the last one's specific row: the same
page Wagtail's walk finds, or the same 404.

That specific row comes in the same query when the page's type is known: each
process remembers the type of the page last found under each parent (a story's
siblings are stories), and the query then joins that type's table. A guess that
turns out wrong (another type, or a sub-route) costs the second query, as before.

The walk stops early, handing the rest to the page itself as Wagtail would, at a
page that routes its own sub-paths: a RoutablePageMixin page whose routes match
the rest of the path, or a page class that overrides `route`."""

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from foundation.compiled_queries import compiled_once

# Parent url_path -> the page type last found below it, in this process. Bounded:
# a site with more parents than this starts again.
_CHILD_TYPES: dict[str, type[Page]] = {}
CHILD_TYPES_LIMIT = 1000


def forget_page_types() -> None:
    """Route as a fresh process would, guessing no type (tests that count a cold
    page's queries)."""
    _CHILD_TYPES.clear()


def _accessor(model: type[Page] | None) -> str | None:
    """The relation from a Page row to `model`'s row, for a type made directly from
    Page (a join away); None for Page itself or a type made from another type."""
    if model is None or list(model._meta.parents) != [Page]:
        return None
    return model._meta.parents[Page].related_query_name()


def _parent_url_path(url_path: str) -> str:
    return url_path[: url_path.rstrip("/").rfind("/") + 1]


def _specific(page: Page, accessor: str | None) -> Page:
    """`page` as its own type: the row the query joined when it was of the type
    expected, otherwise Wagtail's `.specific` (a query). Remembers the type for
    the page's siblings."""
    model = page.specific_class
    if model is not None and accessor is not None and accessor == _accessor(model):
        specific = getattr(page, accessor)
        specific._cache_parent_page = page._cache_parent_page  # as .specific copies it
    else:
        specific = page.specific
    if model is not None:
        if len(_CHILD_TYPES) >= CHILD_TYPES_LIMIT:
            _CHILD_TYPES.clear()
        _CHILD_TYPES[_parent_url_path(page.url_path)] = model
    return specific


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
    accessor = _accessor(_CHILD_TYPES.get(_parent_url_path(prefixes[-1])))

    def pages_at(*url_paths: str):
        pages = Page.objects.filter(url_path__in=url_paths, path__startswith=root.path)
        return pages if accessor is None else pages.select_related(accessor)

    # Compiled once per process for each depth and type of page.
    key = ("routing:pages", root.path, accessor, len(prefixes))
    pages = compiled_once(key, pages_at, *prefixes)
    found = {page.url_path: page for page in pages}
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
    return _specific(page, accessor).route(request, rest)
