"""The search-engine backend, for OpenSearch and Elasticsearch alike: one
request over every kind's alias (`build_search`, a plain body both engines
accept, written with `elasticsearch.dsl`), its answer turned into the shared
`SearchResults` (`parse_response`). The engine itself is reached through
search/engines.py.

User input only ever reaches the engine as the text of `multi_match` and
`term` queries, never as query-string syntax, so `"`, `*`, `AND` or `(`
are plain characters.
"""

import re

from elasticsearch import dsl
from elasticsearch.dsl import query as q

from ..documents import index_alias
from ..engines import get_engine
from ..registry import all_facets, all_kinds, facet_filter_key
from ..results import PAGE_SIZE, SearchHit, SearchRequest, SearchResults, Suggestion, build_facets
from ..text import MIN_TERM_LENGTH, clean_query
from .ranking import IDENTIFIER_BOOST, IMAGE_BOOST, SUGGEST_LIMIT, UNRANKED_RELEVANCE

# Title > names > keywords > description.
TEXT_FIELDS = [
    "title^6", "title.folded^5", "names^3", "names.folded^3", "keywords^2", "description",
]  # fmt: skip
HIT_SOURCE = ["kind", "record_id", "title", "url", "summary", "identifier", "has_image"]
TIE_BREAK = [{"kind": "asc"}, {"record_id": "asc"}]
SORTS = {
    "relevance": ["_score", *TIE_BREAK],
    "date": [{"date_earliest": {"order": "asc", "missing": "_last"}}, *TIE_BREAK],
    "-date": [{"date_earliest": {"order": "desc", "missing": "_last"}}, *TIE_BREAK],
    "title": [{"title.sort": "asc"}, *TIE_BREAK],
}
SORT_FIELDS = {"has_image": "has_image", "title": "title.sort"}
UNRANKED_SORT = [{SORT_FIELDS[name]: way} for name, way in UNRANKED_RELEVANCE] + TIE_BREAK


def _indexes(kinds: tuple[str, ...] = ()) -> list[str]:
    return [index_alias(kind) for kind in all_kinds() if not kinds or kind.name in kinds]


def _text_query(query: str):
    # Every word must match, in any of the fields (cross_fields: "hockney
    # pool" matches a Hockney whose title mentions a pool).
    text = q.MultiMatch(query=query, fields=TEXT_FIELDS, type="cross_fields", operator="and")
    identifier = q.Term(identifier={"value": query, "boost": IDENTIFIER_BOOST})
    return q.FunctionScore(
        query=q.Bool(should=[text, identifier], minimum_should_match=1),
        functions=[{"filter": q.Term(has_image=True), "weight": IMAGE_BOOST}],
        boost_mode="multiply",
    )


def build_search(request: SearchRequest) -> dict:
    search = dsl.Search().extra(track_total_hits=True).source(HIT_SOURCE)
    if request.query:
        search = search.query(_text_query(request.query)).suggest(
            "spelling",
            request.query,
            term={
                "field": "spelling",
                "suggest_mode": "missing",
                "min_word_length": MIN_TERM_LENGTH,
                # A swap of the first two letters ("eVssel") is a typo too.
                "prefix_length": 0,
            },
        )
    # Facet filters narrow both the hits and every facet's counts, as on
    # the database backend.
    for facet, value in sorted(request.filters.items()):
        search = search.filter(q.Term(filters=facet_filter_key(facet, value)))
    for facet in all_facets():
        # Lucene regular expression: this facet's "name|value|Label" keys.
        search.aggs.bucket(
            facet.name,
            "terms",
            field="facets",
            include=re.escape(facet.name) + "\\|.*",
            size=facet.size,
        )
    sort = SORTS[request.sort]
    if request.sort == "relevance" and not request.query:
        sort = UNRANKED_SORT
    search = (
        search.sort(*sort)
        .highlight("description", "title")
        .highlight_options(
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=180,
            number_of_fragments=1,
        )
    )
    return search[request.offset : request.offset + PAGE_SIZE].to_dict()


def _spelling_suggestion(response: dict, query: str) -> str:
    """The query with each misspelt word replaced, where the term suggester
    found it (its offset and length in the query as typed), by its best
    option; empty when it found nothing to correct."""
    corrected = query
    # From the last word back, so the offsets of those before still hold.
    for entry in reversed(response.get("suggest", {}).get("spelling", [])):
        if entry["options"]:
            start, end = entry["offset"], entry["offset"] + entry["length"]
            corrected = corrected[:start] + entry["options"][0]["text"] + corrected[end:]
    return corrected if corrected != query else ""


def parse_response(response: dict, request: SearchRequest, backend: str) -> SearchResults:
    """`response`: the engine's answer to `build_search(request)`, as JSON."""
    hits = []
    for hit in response["hits"]["hits"]:
        # The engine omits empty fields from _source: read with defaults.
        source = hit["_source"]
        fragments = hit.get("highlight", {}).get("description", [])
        hits.append(
            SearchHit(
                kind=source.get("kind", ""),
                id=int(source.get("record_id", hit["_id"])),
                title=source.get("title", ""),
                url=source.get("url", ""),
                summary=source.get("summary", ""),
                identifier=source.get("identifier", ""),
                has_image=bool(source.get("has_image")),
                highlight=fragments[0] if fragments else "",
            )
        )
    counts = {
        bucket["key"]: bucket["doc_count"]
        for facet in response.get("aggregations", {}).values()
        for bucket in facet.get("buckets", [])
    }
    return SearchResults(
        request=request,
        hits=hits,
        total=response["hits"]["total"]["value"],
        facets=build_facets(counts, request.filters),
        backend=backend,
        suggestion=_spelling_suggestion(response, request.query) if request.query else "",
    )


def suggest_search(query: str) -> dict:
    fields = ["title.autocomplete^3", "names.autocomplete^2"]
    return (
        dsl.Search()
        .query(
            q.MultiMatch(
                query=clean_query(query), fields=fields, type="cross_fields", operator="and"
            )
        )
        .source(["title", "url", "summary"])
        .extra(size=SUGGEST_LIMIT)
        .to_dict()
    )


class Backend:
    """One search on the configured engine, and the re-run the dispatcher
    may ask for; `name` is the engine's ("opensearch", "elasticsearch")."""

    def __init__(self):
        self.engine = get_engine()
        self.name = self.engine.name

    def search(self, request: SearchRequest) -> SearchResults:
        response = self.engine.search(_indexes(request.kinds), build_search(request))
        return parse_response(response, request, self.name)

    def suggest(self, query: str) -> list[Suggestion]:
        response = self.engine.search(_indexes(), suggest_search(query))
        return [
            Suggestion(source["title"], source["url"], source.get("summary", ""))
            for source in (hit["_source"] for hit in response["hits"]["hits"])
        ]
