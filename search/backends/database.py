"""The database search backend: the embedded default, and the fallback
whenever Elasticsearch is off or failing. Searches every kind's rows in
`SearchEntry`.

PostgreSQL: the weighted tsvector in `SearchEntry.search_vector` (GIN index)
ranked with ts_rank; misspelt words corrected against `SearchTerm` by
trigram similarity (GIN trigram index). SQLite: every word must appear in the
folded text; title matches rank above name matches above the rest; words
corrected with difflib. A results page is three queries: facet counts (which
also give the total), the page of hits, and the vocabulary look-up when few
results match.
"""

import difflib

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from ..models import SearchEntry, SearchTerm
from ..registry import facet_filter_key
from ..results import PAGE_SIZE, SearchHit, SearchRequest, SearchResults, Suggestion, build_facets
from ..text import MIN_TERM_LENGTH, highlight, stem, words
from . import FEW_RESULTS, IMAGE_BOOST, SUGGEST_LIMIT

BACKEND_NAME = "database"
TEXT_CONFIG = "bac_english"  # created by search/migrations/0001_initial.py
IDENTIFIER_BOOST = 10.0
HIT_FIELDS = [
    "kind", "record_id", "title", "url", "summary", "identifier", "description", "has_image",
]  # fmt: skip


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _image_boost():
    return Case(When(has_image=True, then=Value(IMAGE_BOOST)), default=Value(1.0))


def _identifier_bonus(query: str):
    return Case(When(identifier__iexact=query, then=Value(IDENTIFIER_BOOST)), default=Value(0.0))


def _text_match(entries: QuerySet, query: str) -> QuerySet:
    """Entries matching every word of `query`, annotated with `rank`."""
    query_words = words(query)
    exact_identifier = Q(identifier__iexact=query)
    if not query_words:  # only punctuation: nothing to match but an identifier
        return entries.filter(exact_identifier).annotate(
            rank=Value(IDENTIFIER_BOOST, output_field=FloatField())
        )
    if _is_postgres():
        ts_query = SearchQuery(" ".join(query_words), config=TEXT_CONFIG, search_type="plain")
        # The identifier is in the vector (weight A), so matching the vector
        # alone finds it; an OR here would stop the GIN index being used.
        return entries.filter(search_vector=ts_query).annotate(
            rank=SearchRank(F("search_vector"), ts_query) * _image_boost()
            + _identifier_bonus(query)
        )
    stems = [stem(word) for word in query_words]
    all_words = Q()
    for word in stems:
        all_words &= Q(folded_text__contains=word)
    # Per word: 4 if in the title, 2 if in the names, 1 otherwise.
    weight = sum(
        (
            Case(
                When(folded_title__contains=word, then=Value(4.0)),
                When(folded_names__contains=word, then=Value(2.0)),
                default=Value(1.0),
            )
            for word in stems
        ),
        Value(0.0),
    )
    rank = ExpressionWrapper(
        weight * _image_boost() + _identifier_bonus(query), output_field=FloatField()
    )
    return entries.filter(all_words | exact_identifier).annotate(rank=rank)


def _filtered(filters: dict[str, str]) -> QuerySet:
    """Entries with every selected facet value (already validated by the form)."""
    entries = SearchEntry.objects.all()
    keys = [facet_filter_key(facet, value) for facet, value in sorted(filters.items())]
    if not keys:
        return entries
    if _is_postgres():  # jsonb containment, answered by the GIN index on filter_keys
        return entries.filter(filter_keys__contains=keys)
    for n, key in enumerate(keys):
        has_key = RawSQL(
            "EXISTS (SELECT 1 FROM json_each(search_searchentry.filter_keys) WHERE value = %s)",
            [key],
            output_field=BooleanField(),
        )
        entries = entries.alias(**{f"has_filter_{n}": has_key}).filter(**{f"has_filter_{n}": True})
    return entries


ORDERINGS = {
    "relevance": [F("rank").desc(), "id"],
    "date": [F("date_earliest").asc(nulls_last=True), "id"],
    "-date": [F("date_earliest").desc(nulls_last=True), "id"],
    "title": ["sort_title", "id"],
}
# Without words to rank by, "best match" puts records with images first.
UNRANKED_RELEVANCE = ["-has_image", "sort_title", "id"]


def _matches(request: SearchRequest) -> QuerySet:
    entries = _filtered(request.filters)
    if request.query:
        return _text_match(entries, request.query)
    return entries


def _ordering(request: SearchRequest) -> list:
    if request.sort == "relevance" and not request.query:
        return UNRANKED_RELEVANCE
    return ORDERINGS[request.sort]


def _facet_counts(matches: QuerySet) -> dict[str, int]:
    """Every facet's counts in one query: each match's facet keys, unnested
    and grouped (jsonb_array_elements_text on PostgreSQL, json_each on SQLite)."""
    inner_sql, params = matches.order_by().values("facet_keys").query.sql_with_params()
    if _is_postgres():
        unnest = "jsonb_array_elements_text(m.facet_keys) AS k(value)"
    else:
        unnest = "json_each(m.facet_keys) AS k"
    sql = f"SELECT k.value, COUNT(*) FROM ({inner_sql}) AS m, {unnest} GROUP BY k.value"  # noqa: S608  (inner SQL is Django's, values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _hits(matches: QuerySet, request: SearchRequest) -> list[SearchHit]:
    page = matches.order_by(*_ordering(request)).only(*HIT_FIELDS)
    page = page[request.offset : request.offset + PAGE_SIZE]
    return [
        SearchHit(
            kind=entry.kind,
            id=entry.record_id,
            title=entry.title,
            url=entry.url,
            summary=entry.summary,
            identifier=entry.identifier,
            has_image=entry.has_image,
            highlight=highlight(entry.description, request.query) if request.query else "",
        )
        for entry in page
    ]


def _closest_term(word: str) -> str:
    """The known word most like `word`. Both backends assume the first
    letter is right: it keeps the candidates few (an index range), and
    people rarely misspell the start of a name."""
    if _is_postgres():
        best = (
            SearchTerm.objects.filter(term__startswith=word[0], term__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("term", word))
            .order_by("-similarity", "-document_count", "term")
            .values_list("term", flat=True)
            .first()
        )
        return best or ""
    candidates = list(
        SearchTerm.objects.annotate(length=Length("term"))
        .filter(term__startswith=word[0], length__range=(len(word) - 2, len(word) + 2))
        .order_by("-document_count", "term")
        .values_list("term", flat=True)[:5000]
    )
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return close[0] if close else ""


def spelling_suggestion(query: str) -> str:
    """The query with each unknown word replaced by the closest known one;
    empty when every word is known or nothing close enough exists."""
    query_words = words(query)
    known = set(SearchTerm.objects.filter(term__in=query_words).values_list("term", flat=True))
    corrected = []
    for word in query_words:
        if word in known or len(word) < MIN_TERM_LENGTH or not word.isalpha():
            corrected.append(word)
        else:
            corrected.append(_closest_term(word) or word)
    return " ".join(corrected) if corrected != query_words else ""


def search(request: SearchRequest) -> SearchResults:
    matches = _matches(request)
    counts = _facet_counts(matches)
    # Every entry has exactly one "image" key, so its counts sum to the total.
    total = sum(count for key, count in counts.items() if key.startswith("image|"))
    hits = _hits(matches, request) if total > request.offset else []
    few = request.query and total < FEW_RESULTS
    return SearchResults(
        request=request,
        hits=hits,
        total=total,
        facets=build_facets(counts, request.filters),
        backend=BACKEND_NAME,
        suggestion=spelling_suggestion(request.query) if few else "",
    )


def suggest(query: str) -> list[Suggestion]:
    """Records whose title or names start with what was typed."""
    query_words = words(query)
    if not query_words:
        return []
    entries = SearchEntry.objects.only("title", "url", "summary")
    if _is_postgres():
        prefixes = " & ".join(f"{word}:*" for word in query_words)
        ts_query = SearchQuery(prefixes, config=TEXT_CONFIG, search_type="raw")
        entries = (
            entries.filter(search_vector=ts_query)
            .annotate(rank=SearchRank(F("search_vector"), ts_query, weights=[0.0, 0.0, 0.4, 1.0]))
            .order_by("-rank", "id")
        )
    else:
        for word in query_words:
            entries = entries.filter(
                Q(folded_title__contains=word) | Q(folded_names__contains=word)
            )
        entries = entries.order_by("-has_image", "sort_title", "id")
    return [Suggestion(e.title, e.url, e.summary) for e in entries[:SUGGEST_LIMIT]]
