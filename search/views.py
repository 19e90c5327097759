"""The public search page and the JSON suggestions behind the search box."""

from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from foundation.page_cache import SEARCH, page_cache_depends_on
from foundation.pagination import ArchivePaginator
from foundation.sample import shows_sample_content

from . import backends
from .forms import SearchForm
from .registry import all_facets
from .results import MAX_PAGE, PAGE_SIZE, SORTS, SearchResults
from .selectors import shown_hits
from .text import printable, words

SUGGEST_MIN_LENGTH = 2


def _url_with(params: QueryDict, **changes) -> str:
    """This page's query string with some parameters changed (None removes)."""
    updated = params.copy()
    for name, value in changes.items():
        updated.pop(name, None)
        if value is not None:
            updated[name] = value
    return f"?{updated.urlencode()}" if updated else "?"


def _facet_groups(results: SearchResults, params: QueryDict) -> list[dict]:
    groups = []
    for facet in all_facets():
        name, heading = facet.name, facet.heading
        values = results.facets.get(name, [])
        # A single result type is no choice, unless it is the one selected.
        if not values or (name == "kind" and len(values) < 2 and not values[0].selected):
            continue
        links = [
            {
                "value": value,
                # A selected value's link removes it; others select it.
                "url": _url_with(
                    params, page=None, **{name: None if value.selected else value.value}
                ),
            }
            for value in values
        ]
        groups.append({"name": name, "heading": heading, "links": links})
    return groups


def _pages(results: SearchResults, params: QueryDict) -> dict:
    """The page of results for the site's page links, and the "showing" numbers."""
    paginator = ArchivePaginator((), PAGE_SIZE, count=results.total, max_pages=MAX_PAGE)
    current = results.request.page
    return {
        # None past the last page ("There are no more results").
        "page": paginator.page_of(current, results.hits) if results.hits else None,
        "last": paginator.num_pages,
        "first_url": _url_with(params, page=None),
        "first_shown": results.request.offset + 1,
        "last_shown": results.request.offset + len(results.hits),
    }


def _active_filters(results: SearchResults, params: QueryDict) -> list[dict]:
    labels = {
        name: {value.value: value.label for value in values}
        for name, values in results.facets.items()
    }
    headings = {facet.name: facet.heading for facet in all_facets()}
    return [
        {
            "heading": headings[name],
            "label": labels.get(name, {}).get(value, value),
            "remove_url": _url_with(params, page=None, **{name: None}),
        }
        for name, value in results.request.filters.items()
    ]


@require_GET
def search_view(request):
    # Results come from the search index, bumped after each update of it; the records
    # shown are recorded as they load (pages/invalidation.py).
    page_cache_depends_on(SEARCH)
    form = SearchForm(request.GET)
    search_request = form.search_request()
    context = {"form": form, "search_query": search_request.query, "sorts": SORTS}
    if search_request.query or search_request.filters:
        results = backends.search(search_request)
        hits = shown_hits(results.hits)
        params = request.GET.copy()
        context.update(
            results=results,
            hits=hits,
            facet_groups=_facet_groups(results, params),
            active_filters=_active_filters(results, params),
            pages=_pages(results, params),
            suggestion_url=_url_with(params, q=results.suggestion, page=None),
            original_url=_url_with(params, page=None, exact="1"),
            shows_sample_data=shows_sample_content(shown.record for shown in hits),
            sort_hidden_fields=[
                (name, value) for name, value in params.items() if name not in {"sort", "page"}
            ],
        )
    response = render(request, "search/search.html", context)
    if search_request.query:
        # Kept with the cached page, so a cache hit counts the search (impact.counting)
        # with whether it found anything, and no query.
        response.search_result_count = results.total
    return response


@require_GET
@cache_control(max_age=60, public=True)
def suggest_view(request):
    """Up to eight records matching what has been typed so far."""
    query = " ".join(printable(request.GET.get("q", "")).split())[:100]
    if len(query) < SUGGEST_MIN_LENGTH or not words(query):
        return JsonResponse({"query": query, "suggestions": []})
    suggestions = backends.suggest(query)
    return JsonResponse(
        {
            "query": query,
            "suggestions": [
                {"label": s.label, "url": s.url, "detail": s.detail} for s in suggestions
            ],
        }
    )
