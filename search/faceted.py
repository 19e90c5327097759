"""The Elasticsearch search backend: `CollectionSearch` builds the request,
`parse_response` turns the answer into the shared `SearchResults`.

User input only ever reaches Elasticsearch as the text of `multi_match` and
`term` queries, never as query-string syntax, so `"`, `*`, `AND` or `(`
are plain characters.
"""

from functools import reduce
from operator import and_

from elasticsearch import dsl
from elasticsearch.dsl import query as q

from .client import get_client, object_index_alias
from .documents import CollectionObjectDocument
from .results import (
    FACET_SIZE,
    PAGE_SIZE,
    SearchHit,
    SearchRequest,
    SearchResults,
    Suggestion,
    build_facets,
)
from .text import MIN_TERM_LENGTH, clean_query, words

BACKEND_NAME = "elasticsearch"
IMAGE_BOOST = 1.1
ACCESSION_BOOST = 20
FEW_RESULTS = 5
SUGGEST_LIMIT = 8
HIT_SOURCE = [
    "title", "slug", "accession_number", "object_type", "date_display",
    "makers", "production", "has_image",
]  # fmt: skip
SORTS = {
    "relevance": ["_score", {"object_id": "asc"}],
    "date": [{"date_earliest": {"order": "asc", "missing": "_last"}}, {"object_id": "asc"}],
    "-date": [{"date_earliest": {"order": "desc", "missing": "_last"}}, {"object_id": "asc"}],
    "title": [{"title.sort": "asc"}, {"object_id": "asc"}],
}
UNRANKED_RELEVANCE = [{"has_image": "desc"}, {"title.sort": "asc"}, {"object_id": "asc"}]


class CollectionSearch(dsl.FacetedSearch):
    index = object_index_alias()
    doc_types = [CollectionObjectDocument]
    # Title > makers and production > subjects and places > the rest.
    fields = [
        "title^6", "title.folded^5",
        "makers^3", "makers.folded^3", "production^3", "production.folded^3",
        "subjects^2", "places^2", "materials", "description",
    ]  # fmt: skip
    facets = {
        "type": dsl.TermsFacet(field="object_type", size=20),
        "decade": dsl.TermsFacet(field="decade", size=30),
        "production": dsl.TermsFacet(field="production_facet", size=FACET_SIZE),
        "maker": dsl.TermsFacet(field="maker_facet", size=FACET_SIZE),
        "subject": dsl.TermsFacet(field="subject_facet", size=FACET_SIZE),
        "image": dsl.TermsFacet(field="has_image"),
    }

    def search(self):
        search = super().search().extra(track_total_hits=True).source(HIT_SOURCE)
        if self._query:
            search = search.suggest(
                "spelling",
                self._query,
                term={
                    "field": "spelling",
                    "suggest_mode": "missing",
                    "min_word_length": MIN_TERM_LENGTH,
                },
            )
        return search

    def query(self, search, query):
        # Every word must match, in any of the fields (cross_fields: "hockney
        # pool" matches a Hockney whose title mentions a pool).
        text = q.MultiMatch(query=query, fields=self.fields, type="cross_fields", operator="and")
        accession = q.Term(accession_number={"value": query, "boost": ACCESSION_BOOST})
        return search.query(
            q.FunctionScore(
                query=q.Bool(should=[text, accession], minimum_should_match=1),
                functions=[{"filter": q.Term(has_image=True), "weight": IMAGE_BOOST}],
                boost_mode="multiply",
            )
        )

    def filter(self, search):
        # Facet filters narrow both the hits and every facet's counts, as on
        # the database backend (not post_filter, the FacetedSearch default).
        if not self._filters:
            return search
        return search.filter(reduce(and_, self._filters.values()))

    def aggregate(self, search):
        # FacetedResponse reads each facet under "_filter_<name>"; the filter
        # is match_all because filter() has already narrowed the query.
        for name, facet in self.facets.items():
            search.aggs.bucket(f"_filter_{name}", "filter", filter=q.MatchAll()).bucket(
                name, facet.get_aggregation()
            )

    def highlight(self, search):
        return search.highlight("description", "title").highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=180,
            number_of_fragments=1,
        )


def _es_filters(filters: dict[str, str]) -> dict:
    """Form values as the indexed types: decade is an integer, image a boolean."""
    converted = dict(filters)
    if "decade" in converted:
        converted["decade"] = int(converted["decade"])
    if "image" in converted:
        converted["image"] = converted["image"] == "yes"
    return converted


def build_search(request: SearchRequest) -> CollectionSearch:
    sort = SORTS[request.sort]
    if request.sort == "relevance" and not request.query:
        sort = UNRANKED_RELEVANCE
    search = CollectionSearch(
        request.query or None, filters=_es_filters(request.filters), sort=sort
    )
    return search[request.offset : request.offset + PAGE_SIZE]


def _facet_key(name: str, key) -> str:
    if name == "image":
        return "yes" if key in (1, True, "true") else "no"
    return str(key)


def _spelling_suggestion(response, query: str) -> str:
    """The query with each misspelt word replaced by the term suggester's
    best option; empty when it found nothing to correct."""
    suggest = getattr(response, "suggest", None)
    entries = suggest.spelling if suggest and "spelling" in suggest else []
    corrections = {entry.text: entry.options[0].text for entry in entries if entry.options}
    if not corrections:
        return ""
    return " ".join(corrections.get(word, word) for word in words(query))


def _joined(value) -> str:
    """Multi-valued fields come back as a list, single values as a string."""
    if isinstance(value, list | tuple):
        return "; ".join(value)
    return value or ""


def parse_response(response, request: SearchRequest) -> SearchResults:
    hits = []
    for hit in response:
        # Elasticsearch omits empty fields from _source: read with defaults.
        source = hit.to_dict()
        highlight = getattr(hit.meta, "highlight", None)
        fragments = list(highlight.description) if highlight and "description" in highlight else []
        hits.append(
            SearchHit(
                id=int(hit.meta.id),
                title=source.get("title", ""),
                slug=source.get("slug", ""),
                accession_number=source.get("accession_number", ""),
                object_type=source.get("object_type", ""),
                date_display=source.get("date_display", ""),
                makers=_joined(source.get("makers")),
                production=_joined(source.get("production")),
                has_image=bool(source.get("has_image")),
                highlight=fragments[0] if fragments else "",
            )
        )
    counts = {
        name: {_facet_key(name, key): count for key, count, _selected in values}
        for name, values in response.facets.to_dict().items()
    }
    return SearchResults(
        request=request,
        hits=hits,
        total=response.hits.total.value,
        facets=build_facets(counts, request.filters),
        backend=BACKEND_NAME,
        suggestion=_spelling_suggestion(response, request.query) if request.query else "",
    )


def elasticsearch_search(request: SearchRequest) -> SearchResults:
    get_client()
    results = parse_response(build_search(request).execute(), request)
    if results.total >= FEW_RESULTS:
        results.suggestion = ""
    elif results.total == 0 and results.suggestion and request.correct_spelling:
        corrected = parse_response(
            build_search(request.with_query(results.suggestion)).execute(),
            request.with_query(results.suggestion),
        )
        if corrected.total:
            corrected.suggestion = results.suggestion
            corrected.corrected_from = request.query
            return corrected
    return results


def suggest_search(query: str) -> dsl.Search:
    fields = ["title.autocomplete^3", "makers.autocomplete^2", "production.autocomplete"]
    return (
        CollectionObjectDocument.search()
        .query(
            q.MultiMatch(
                query=clean_query(query), fields=fields, type="cross_fields", operator="and"
            )
        )
        .source(["title", "slug", "makers", "date_display"])
        .extra(size=SUGGEST_LIMIT)
    )


def elasticsearch_suggest(query: str) -> list[Suggestion]:
    from django.urls import reverse

    get_client()
    suggestions = []
    for hit in suggest_search(query).execute():
        makers = hit.makers if isinstance(hit.makers, str) else "; ".join(hit.makers or [])
        detail = " · ".join(part for part in (makers, hit.date_display or "") if part)
        suggestions.append(
            Suggestion(hit.title, reverse("objects:object", args=[hit.slug]), detail)
        )
    return suggestions
