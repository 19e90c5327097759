"""What a search asks for and what it returns, whichever backend answers.

Both backends (search/backends/) take a `SearchRequest` and return
`SearchResults`, so the view, the templates and the URLs never know which
one ran, nor which kinds of record they show.
"""

from dataclasses import dataclass, field

from .registry import DECADE, all_facets, get_kind, split_facet_key

PAGE_SIZE = 20
# Results past this point are not reachable by paging: the same cap as
# Elasticsearch's default max_result_window, kept on both backends so deep
# pages behave the same and stay fast. People refine instead.
MAX_RESULTS = 10_000
MAX_PAGE = MAX_RESULTS // PAGE_SIZE

SORTS = {
    "relevance": "Best match",
    "date": "Oldest first",
    "-date": "Newest first",
    "title": "Title A–Z",
}


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    # Facet name -> value, as in the URL: {"kind": "objects", "decade": "1990"}.
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    # False when someone chose "search instead for" their own spelling.
    correct_spelling: bool = True
    # Only records of these kinds exist for this search (empty: every kind).
    kinds: tuple[str, ...] = ()

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def with_query(self, query: str) -> "SearchRequest":
        return SearchRequest(
            query=query,
            filters=self.filters,
            sort=self.sort,
            page=self.page,
            correct_spelling=self.correct_spelling,
            kinds=self.kinds,
        )


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: int
    title: str
    url: str
    summary: str
    identifier: str
    has_image: bool
    # Escaped HTML with matches wrapped in <mark>; empty when nothing matched.
    highlight: str = ""

    @property
    def kind_label(self) -> str:
        """ "Object", "Story": what this result is."""
        return get_kind(self.kind).hit_label


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    request: SearchRequest
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetValue]]
    backend: str
    # "Did you mean": a corrected query, when the one given looks misspelt.
    suggestion: str = ""
    # Set when no result matched as typed and `hits` are for `suggestion`.
    corrected_from: str = ""
    # Set when Elasticsearch failed and the database answered instead.
    fallback_notice: str = ""

    @property
    def reachable_total(self) -> int:
        return min(self.total, MAX_RESULTS)


@dataclass(frozen=True)
class Suggestion:
    label: str
    url: str
    detail: str = ""


def build_facets(counts: dict[str, int], filters: dict[str, str]) -> dict[str, list[FacetValue]]:
    """Facet values for display, from {"facet|value|Label": count}.

    The most frequent values of each facet (its `size`; decades in date
    order), always including the one selected.
    """
    grouped: dict[str, list[FacetValue]] = {}
    for key, count in counts.items():
        facet, value, label = split_facet_key(key)
        grouped.setdefault(facet, []).append(
            FacetValue(value, label, count, filters.get(facet) == value)
        )
    facets = {}
    for facet in all_facets():
        values = sorted(grouped.get(facet.name, []), key=lambda v: (-v.count, v.label))
        shown = values[: facet.size] + [v for v in values[facet.size :] if v.selected]
        if facet.name == DECADE.name:
            shown.sort(key=lambda v: int(v.value))
        facets[facet.name] = shown
    return facets
