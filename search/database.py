"""The database search backend: the embedded default, and the fallback
whenever Elasticsearch is off or failing.

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
from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from objects.models import CollectionObject, ObjectMaker

from .models import SearchEntry, SearchTerm
from .results import (
    PAGE_SIZE,
    SearchHit,
    SearchRequest,
    SearchResults,
    Suggestion,
    build_facets,
)
from .text import MIN_TERM_LENGTH, highlight, stem, words

BACKEND_NAME = "database"
TEXT_CONFIG = "bac_english"  # created by search/migrations/0001_initial.py
IMAGE_BOOST = 1.1
ACCESSION_BOOST = 10.0
# Fewer results than this and "did you mean" is worth offering.
FEW_RESULTS = 5
SUGGEST_LIMIT = 8
HIT_FIELDS = [
    "object_id", "title", "slug", "accession_number", "object_type", "date_display",
    "makers", "production", "description", "has_image",
]  # fmt: skip


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _image_boost():
    return Case(When(has_image=True, then=Value(IMAGE_BOOST)), default=Value(1.0))


def _accession_bonus(query: str):
    return Case(
        When(accession_number__iexact=query, then=Value(ACCESSION_BOOST)), default=Value(0.0)
    )


def _text_match(entries: QuerySet, query: str) -> QuerySet:
    """Entries matching every word of `query`, annotated with `rank`."""
    query_words = words(query)
    exact_accession = Q(accession_number__iexact=query)
    if not query_words:  # only punctuation: nothing to match but an accession number
        return entries.filter(exact_accession).annotate(
            rank=Value(ACCESSION_BOOST, output_field=FloatField())
        )
    if _is_postgres():
        ts_query = SearchQuery(" ".join(query_words), config=TEXT_CONFIG, search_type="plain")
        # The accession number is in the vector (weight A), so matching the
        # vector alone finds it; an OR here would stop the GIN index being used.
        return entries.filter(search_vector=ts_query).annotate(
            rank=SearchRank(F("search_vector"), ts_query) * _image_boost() + _accession_bonus(query)
        )
    stems = [stem(word) for word in query_words]
    all_words = Q()
    for word in stems:
        all_words &= Q(folded_text__contains=word)
    # Per word: 4 if in the title, 2 if in makers/production, 1 otherwise.
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
        weight * _image_boost() + _accession_bonus(query), output_field=FloatField()
    )
    return entries.filter(all_words | exact_accession).annotate(rank=rank)


def _filtered(filters: dict[str, str]) -> QuerySet:
    """Entries narrowed by facet values (already validated by the form)."""
    entries = SearchEntry.objects.all()
    if "type" in filters:
        entries = entries.filter(object_type=filters["type"])
    if "decade" in filters:
        entries = entries.filter(decade=int(filters["decade"]))
    if "production" in filters:
        entries = entries.filter(production_slug=filters["production"])
    if "maker" in filters:
        makers = ObjectMaker.objects.filter(maker__slug=filters["maker"]).values("object_id")
        entries = entries.filter(object_id__in=makers)
    if "subject" in filters:
        through = CollectionObject.subjects.through.objects
        subjects = through.filter(subject__slug=filters["subject"]).values("collectionobject_id")
        entries = entries.filter(object_id__in=subjects)
    if "image" in filters:
        entries = entries.filter(has_image=filters["image"] == "yes")
    return entries


ORDERINGS = {
    "relevance": [F("rank").desc(), "object_id"],
    "date": [F("date_earliest").asc(nulls_last=True), "object_id"],
    "-date": [F("date_earliest").desc(nulls_last=True), "object_id"],
    "title": ["sort_title", "object_id"],
}
# Without words to rank by, "best match" puts records with images first.
UNRANKED_RELEVANCE = ["-has_image", "sort_title", "object_id"]


def _matches(request: SearchRequest) -> QuerySet:
    entries = _filtered(request.filters)
    if request.query:
        return _text_match(entries, request.query)
    return entries


def _ordering(request: SearchRequest) -> list:
    if request.sort == "relevance" and not request.query:
        return UNRANKED_RELEVANCE
    return ORDERINGS[request.sort]


def _facet_counts(matches: QuerySet) -> dict[str, dict[str, int]]:
    """Every facet's counts in one query: each match's facet keys, unnested
    and grouped (jsonb_array_elements_text on PostgreSQL, json_each on SQLite)."""
    inner_sql, params = matches.order_by().values("facet_keys").query.sql_with_params()
    if _is_postgres():
        unnest = "jsonb_array_elements_text(m.facet_keys) AS k(value)"
    else:
        unnest = "json_each(m.facet_keys) AS k"
    sql = f"SELECT k.value, COUNT(*) FROM ({inner_sql}) AS m, {unnest} GROUP BY k.value"  # noqa: S608  (inner SQL is Django's, values are parameters)
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, count in cursor.fetchall():
            facet, _, value = key.partition("|")
            counts.setdefault(facet, {})[value] = count
    return counts


def _hits(matches: QuerySet, request: SearchRequest) -> list[SearchHit]:
    page = matches.order_by(*_ordering(request)).only(*HIT_FIELDS)
    page = page[request.offset : request.offset + PAGE_SIZE]
    return [
        SearchHit(
            id=entry.object_id,
            title=entry.title,
            slug=entry.slug,
            accession_number=entry.accession_number,
            object_type=entry.object_type,
            date_display=entry.date_display,
            makers=entry.makers,
            production=entry.production,
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


def _run(request: SearchRequest) -> SearchResults:
    matches = _matches(request)
    counts = _facet_counts(matches)
    # Every entry has exactly one "image" key, so its counts sum to the total.
    total = sum(counts.get("image", {}).values())
    hits = _hits(matches, request) if total > request.offset else []
    return SearchResults(
        request=request,
        hits=hits,
        total=total,
        facets=build_facets(counts, request.filters),
        backend=BACKEND_NAME,
    )


def database_search(request: SearchRequest) -> SearchResults:
    results = _run(request)
    if request.query and results.total < FEW_RESULTS:
        suggestion = spelling_suggestion(request.query)
        if suggestion and results.total == 0 and request.correct_spelling:
            corrected = _run(request.with_query(suggestion))
            if corrected.total:
                corrected.suggestion = suggestion
                corrected.corrected_from = request.query
                return corrected
        results.suggestion = suggestion
    return results


def database_suggest(query: str) -> list[Suggestion]:
    """Objects whose title, makers or production start with what was typed."""
    query_words = words(query)
    if not query_words:
        return []
    entries = SearchEntry.objects.only("title", "slug", "makers", "date_display")
    if _is_postgres():
        prefixes = " & ".join(f"{word}:*" for word in query_words)
        ts_query = SearchQuery(prefixes, config=TEXT_CONFIG, search_type="raw")
        entries = (
            entries.filter(search_vector=ts_query)
            .annotate(rank=SearchRank(F("search_vector"), ts_query, weights=[0.0, 0.0, 0.4, 1.0]))
            .order_by("-rank", "object_id")
        )
    else:
        for word in query_words:
            entries = entries.filter(
                Q(folded_title__contains=word) | Q(folded_names__contains=word)
            )
        entries = entries.order_by("-has_image", "sort_title", "object_id")
    return [suggestion_for(entry) for entry in entries[:SUGGEST_LIMIT]]


def suggestion_for(entry) -> Suggestion:
    from django.urls import reverse

    detail = " · ".join(part for part in (entry.makers, entry.date_display) if part)
    return Suggestion(entry.title, reverse("objects:object", args=[entry.slug]), detail)
