"""What a search asks for and what it returns, whichever backend answers.

Both backends (search/database.py and search/faceted.py) take a
`SearchRequest` and return `SearchResults`, so the view, the templates and
the URLs never know which one ran.
"""

from dataclasses import dataclass, field

PAGE_SIZE = 20
# Results past this point are not reachable by paging: the same cap as
# Elasticsearch's default max_result_window, kept on both backends so deep
# pages behave the same and stay fast. People refine instead.
MAX_RESULTS = 10_000
MAX_PAGE = MAX_RESULTS // PAGE_SIZE
FACET_SIZE = 12

# Facets in display order: URL parameter -> heading.
FACETS = {
    "type": "Object type",
    "decade": "Decade",
    "production": "Production",
    "maker": "Maker",
    "subject": "Subject",
    "image": "Images",
}
# Facets whose values are other records: stored and aggregated as
# "slug|Label" so one keyword carries both the URL value and the label.
LABELLED_FACETS = ("production", "maker", "subject")
FACET_KEY_SEPARATOR = "|"

SORTS = {
    "relevance": "Best match",
    "date": "Oldest first",
    "-date": "Newest first",
    "title": "Title A–Z",
}


def labelled_facet_key(slug: str, label: str) -> str:
    return f"{slug}{FACET_KEY_SEPARATOR}{label}"


def split_labelled_facet_key(key: str) -> tuple[str, str]:
    slug, _, label = key.partition(FACET_KEY_SEPARATOR)
    return slug, label or slug


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    # False when someone chose "search instead for" their own spelling.
    correct_spelling: bool = True

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
        )


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    slug: str
    accession_number: str
    object_type: str
    date_display: str
    makers: str
    production: str
    has_image: bool
    # Escaped HTML with matches wrapped in <mark>; empty when nothing matched.
    highlight: str = ""

    @property
    def object_type_label(self) -> str:
        from objects.selectors import object_type_labels

        return object_type_labels().get(self.object_type, self.object_type)


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


IMAGE_LABELS = {"yes": "With images", "no": "Without images"}


def _facet_label(facet: str, key: str) -> tuple[str, str]:
    """(URL value, label) for a facet key as both backends store it."""
    from objects.selectors import object_type_labels

    if facet in LABELLED_FACETS:
        return split_labelled_facet_key(key)
    if facet == "type":
        return key, object_type_labels().get(key, key)
    if facet == "decade":
        return key, f"{key}s"
    return key, IMAGE_LABELS.get(key, key)


def build_facets(
    counts: dict[str, dict[str, int]], filters: dict[str, str]
) -> dict[str, list[FacetValue]]:
    """Facet values for display, from {facet: {key: count}}.

    The most frequent FACET_SIZE values of each facet (decades in date order),
    always including the one selected.
    """
    facets = {}
    for facet in FACETS:
        values = []
        for key, count in counts.get(facet, {}).items():
            value, label = _facet_label(facet, key)
            values.append(FacetValue(value, label, count, filters.get(facet) == value))
        values.sort(key=lambda v: (-v.count, v.label))
        shown = values[:FACET_SIZE] + [v for v in values[FACET_SIZE:] if v.selected]
        if facet == "decade":
            shown.sort(key=lambda v: int(v.value))
        facets[facet] = shown
    return facets
