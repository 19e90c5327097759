"""The database search backend: the embedded default, and the fallback
whenever the search engine is off or failing. Searches every kind's rows in
`SearchEntry`.

Queries are split into words exactly as the documents were (`text.words`),
so a title is always found by itself, codes such as "B-52" or "P.12.3"
included. PostgreSQL matches the weighted tsvector (GIN); SQLite the folded
text. Misspelt words are recovered like Elasticsearch's `fuzziness: AUTO`:
words missing from the vocabulary (`SearchTerm`) get the known words within
one edit (words up to 5 letters) or two (longer), a swap of two letters
counting as one; candidates come from an index on (first letter, length),
plus trigram similarity on PostgreSQL.

A text search is two queries: the vocabulary look-up, and one pass over the
matches (matches.py) giving the facet counts (and so the total) and the page
of hits, for the query as typed and as corrected at once. When nothing
matches as typed, the dispatcher's re-run with the correction costs no query.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left, Length

from ..models import SearchEntry, SearchTerm
from ..registry import facet_filter_key
from ..results import PAGE_SIZE, SearchHit, SearchRequest, SearchResults, Suggestion, build_facets
from ..text import (
    MIN_TERM_LENGTH,
    allowed_edits,
    edit_distance,
    highlight,
    matchable,
    stem,
    words,
)
from .matches import HIT_FIELDS, Matched, Reading, match_once, unnest_facet_keys
from .ranking import IDENTIFIER_BOOST, IMAGE_BOOST, SUGGEST_LIMIT, UNRANKED_RELEVANCE

BACKEND_NAME = "database"
TEXT_CONFIG = "bac_english"  # created by search/migrations/0001_initial.py
# Alternatives tried for one misspelt word: the closest known words.
MAX_ALTERNATIVES = 3
CANDIDATES_PER_WORD = 40


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def search_vector_sql(title: str, names: str, keywords: str, description: str) -> str:
    """SQL for the tsvector stored with a record (PostgreSQL), from columns
    or expressions holding text already split into words the way queries
    are (`IndexedDocument.vector_words`). The title is there stemmed and as
    written, so a title of stop words ("Here and Now") is still found."""
    return (
        f"setweight(to_tsvector('bac_english', {title}), 'A')"
        f" || setweight(to_tsvector('simple', {title}), 'A')"
        f" || setweight(to_tsvector('bac_english', {names}), 'B')"
        f" || setweight(to_tsvector('bac_english', {keywords}), 'C')"
        f" || setweight(to_tsvector('bac_english', {description}), 'D')"
    )


@dataclass(frozen=True)
class TextQuery:
    """What a query's words may match: for each word, its spellings (the
    word itself, or the known words a misspelling may stand for)."""

    text: str
    spellings: tuple[tuple[str, ...], ...]

    @classmethod
    def as_typed(cls, text: str) -> "TextQuery":
        return cls(text, tuple((word,) for word in words(text)))

    def condition(self):
        """A boolean expression: the entry contains every word."""
        if not self.spellings:  # only punctuation: nothing but an identifier
            return ExpressionWrapper(Q(identifier__iexact=self.text), BooleanField())
        if _is_postgres():
            sql, params = self._tsquery()
            # The SQL is fixed here; every word is a parameter.
            return RawSQL(f"search_searchentry.search_vector @@ ({sql})", params, BooleanField())  # noqa: S611
        every_word = Q()
        for spellings in self.spellings:
            any_spelling = Q()
            for spelling in spellings:
                any_spelling |= Q(folded_text__contains=stem(spelling))
            every_word &= any_spelling
        return ExpressionWrapper(every_word | Q(identifier__iexact=self.text), BooleanField())

    def rank(self):
        """Relevance: weighted matches, ×IMAGE_BOOST with an image, plus a
        bonus for the exact identifier and for the whole title typed."""
        if not self.spellings:
            return Value(IDENTIFIER_BOOST, output_field=FloatField())
        if _is_postgres():
            sql, params = self._tsquery()
            matched = RawSQL(  # noqa: S611  (fixed SQL, words are parameters)
                f"ts_rank(search_searchentry.search_vector, ({sql}))", params, FloatField()
            )
            title_bonus = 1.0
        else:
            # Per word: 4 if in the title, 2 if in the names, 1 otherwise.
            matched = sum(
                (self._sqlite_word_weight(spellings) for spellings in self.spellings), Value(0.0)
            )
            title_bonus = 5.0 * len(self.spellings)
        image = Case(When(has_image=True, then=Value(IMAGE_BOOST)), default=Value(1.0))
        bonus = Case(
            When(identifier__iexact=self.text, then=Value(IDENTIFIER_BOOST)),
            When(sort_title=matchable(self.text)[:255], then=Value(title_bonus)),
            default=Value(0.0),
        )
        return ExpressionWrapper(matched * image + bonus, output_field=FloatField())

    def _tsquery(self) -> tuple[str, list[str]]:
        """Every word stemmed, stop words left out; or every word as written
        (for titles made of stop words, "Here and Now"), like the english and
        folded fields of Elasticsearch's cross_fields query. A word matches
        any of its spellings: (a | a2) & b, or the same unstemmed."""
        groups, params = [], []
        for config in (TEXT_CONFIG, "simple"):
            words_sql = []
            for spellings in self.spellings:
                words_sql.append(
                    " || ".join(f"plainto_tsquery('{config}', %s)" for _spelling in spellings)
                )
                params += spellings
            groups.append(" && ".join(f"({sql})" for sql in words_sql))
        return " || ".join(f"({group})" for group in groups), params

    @staticmethod
    def _sqlite_word_weight(spellings):
        def contains(field):
            found = Q()
            for spelling in spellings:
                found |= Q(**{f"{field}__contains": stem(spelling)})
            return found

        return Case(
            When(contains("folded_title"), then=Value(4.0)),
            When(contains("folded_names"), then=Value(2.0)),
            default=Value(1.0),
        )


def _filtered(request: SearchRequest) -> QuerySet:
    """Entries of the request's kinds with every selected facet value (already
    validated by the form)."""
    entries = SearchEntry.objects.all()
    if request.kinds:
        entries = entries.filter(kind__in=request.kinds)
    keys = [facet_filter_key(facet, value) for facet, value in sorted(request.filters.items())]
    if not keys:
        return entries
    if _is_postgres():  # jsonb containment: the GIN index on words and filter_keys
        return entries.filter(filter_keys__contains=keys)
    for key in keys:
        entries = entries.filter(
            RawSQL(
                "EXISTS (SELECT 1 FROM json_each(search_searchentry.filter_keys) WHERE value = %s)",
                [key],
                output_field=BooleanField(),
            )
        )
    return entries


ORDERINGS = {
    "date": [F("date_earliest").asc(nulls_last=True), "id"],
    "-date": [F("date_earliest").desc(nulls_last=True), "id"],
    "title": ["sort_title", "id"],
}
SORT_FIELDS = {"has_image": "has_image", "title": "sort_title"}
UNRANKED_ORDERING = [
    *(("-" if way == "desc" else "") + SORT_FIELDS[name] for name, way in UNRANKED_RELEVANCE),
    "id",
]


def _facet_counts(entries: QuerySet) -> dict[str, int]:
    """Every facet's counts among `entries` in one query: entries grouped by
    their list of facet keys, each list unnested once (matches.py)."""
    inner_sql, params = (
        entries.order_by().values("facet_keys").annotate(n=Count("*"))
    ).query.sql_with_params()
    sql = (
        f"SELECT k.value, CAST(SUM(g.n) AS BIGINT) FROM ({inner_sql}) AS g,"  # noqa: S608  (inner SQL is Django's, values are parameters)
        f" {unnest_facet_keys('g.facet_keys')} GROUP BY k.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _total(counts: dict[str, int]) -> int:
    # Every entry has exactly one "image" key, so its counts sum to the total.
    return sum(count for key, count in counts.items() if key.startswith("image|"))


def _hits(entries: QuerySet, request: SearchRequest) -> list[SearchHit]:
    """A page of `entries` in the order asked for, without a query to rank by."""
    ordering = UNRANKED_ORDERING if request.sort == "relevance" else ORDERINGS[request.sort]
    page = entries.order_by(*ordering).values(*HIT_FIELDS)
    return _page_hits(page[request.offset : request.offset + PAGE_SIZE], request)


def _page_hits(rows, request: SearchRequest) -> list[SearchHit]:
    """Hits from rows of HIT_FIELDS, their descriptions highlighted by the query."""
    return [
        SearchHit(
            kind=row["kind"],
            id=row["record_id"],
            title=row["title"],
            url=row["url"],
            summary=row["summary"],
            identifier=row["identifier"],
            has_image=bool(row["has_image"]),
            highlight=highlight(row["description"], request.query) if request.query else "",
        )
        for row in rows
    ]


def _candidate_rows(unknown: list[str]) -> list[tuple[str, str, int]]:
    """(misspelt word, known word, documents) for known words that may be
    what each misspelt word meant, in one query."""
    if _is_postgres():
        # Known words come back as themselves; only the others are looked
        # up, so a correctly spelt query costs one index probe per word.
        sql = """
            SELECT q.word, t.term, t.document_count
            FROM unnest(%s::text[]) AS q(word)
            JOIN search_searchterm t ON t.term = q.word
            UNION ALL
            SELECT q.word, c.term, c.document_count
            FROM unnest(%s::text[]) AS q(word)
            CROSS JOIN LATERAL (
                SELECT t.term, t.document_count FROM search_searchterm t
                WHERE ((left(t.term, 1) IN (left(q.word, 1), substr(q.word, 2, 1))
                        AND length(t.term) BETWEEN length(q.word) - 2 AND length(q.word) + 2)
                       OR t.term %% q.word)
                  AND levenshtein_less_equal(t.term, q.word, 3) <= 3
                ORDER BY levenshtein_less_equal(t.term, q.word, 3), t.document_count DESC
                LIMIT %s
            ) AS c
            WHERE NOT EXISTS (SELECT 1 FROM search_searchterm k WHERE k.term = q.word)
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [unknown, unknown, CANDIDATES_PER_WORD])
            return cursor.fetchall()
    # SQLite: first (or, for a swap at the start, second) letter and length,
    # the expressions of the search_term_shape index.
    shape = Q()
    for word in unknown:
        lengths = (len(word) - 2, len(word) + 2)
        shape |= Q(initial__in={word[0], word[1]}, length__range=lengths)
    rows = (
        SearchTerm.objects.annotate(initial=Left("term", 1), length=Length("term"))
        .filter(shape)
        .values_list("term", "document_count")
    )
    return [
        (word, term, count)
        for term, count in rows
        for word in unknown
        if term[0] in word[:2] and abs(len(term) - len(word)) <= 2
    ]


class Backend:
    """One search, and the re-run the dispatcher may ask for."""

    name = BACKEND_NAME

    def __init__(self):
        self._known: set[str] = set()
        # Counts made alongside an earlier query, by corrected query text.
        self._counted: dict[str, Matched] = {}

    def _corrections(self, query_words: list[str]) -> dict[str, tuple[str, ...]]:
        """For each word missing from the vocabulary, the closest known words
        (one query, which also tells which words are known)."""
        unknown = [
            word
            for word in dict.fromkeys(query_words)
            if word not in self._known and len(word) >= MIN_TERM_LENGTH and word.isalpha()
        ]
        if not unknown:
            return {}
        rows = _candidate_rows(unknown)
        self._known |= {word for word, term, _count in rows if term == word}
        candidates: dict[str, list[tuple[int, bool, int, str]]] = {}
        for word, term, count in rows:
            if word in self._known:
                continue
            distance = edit_distance(word, term, allowed_edits(word))
            if distance <= allowed_edits(word):
                # Of equally close words, one with the same letters (two
                # swapped: "hosue") before others ("hose"), then the commonest.
                anagram = sorted(term) == sorted(word)
                candidates.setdefault(word, []).append((distance, not anagram, -count, term))
        corrections = {}
        for word, found in candidates.items():
            found.sort()
            best = [term for *closeness, _count, term in found if closeness == list(found[0][:2])]
            corrections[word] = tuple(best[:MAX_ALTERNATIVES])
            self._known.update(corrections[word])
        return corrections

    def search(self, request: SearchRequest) -> SearchResults:
        entries = _filtered(request)
        if not request.query:
            counts = _facet_counts(entries)
            hits = _hits(entries, request) if _total(counts) > request.offset else []
            return self._results(request, counts, hits)
        if request.query in self._counted:  # the re-run with a correction
            matched = self._counted.pop(request.query)
            return self._results(request, matched.counts, _page_hits(matched.page, request))
        text = TextQuery.as_typed(request.query)
        query_words = words(request.query)
        corrections = self._corrections(query_words)
        readings = [text]
        if corrections:
            readings.append(
                TextQuery(
                    " ".join(corrections.get(word, (word,))[0] for word in query_words),
                    tuple(corrections.get(word, (word,)) for word in query_words),
                )
            )
        as_typed, *as_corrected = match_once(
            entries,
            [Reading(reading.condition(), reading.rank()) for reading in readings],
            sort=request.sort,
            offset=request.offset,
            limit=PAGE_SIZE,
        )
        suggestion = ""
        if as_corrected and _total(as_corrected[0].counts):
            suggestion = readings[1].text
            self._counted[suggestion] = as_corrected[0]
        hits = _page_hits(as_typed.page, request)
        return self._results(request, as_typed.counts, hits, suggestion)

    @staticmethod
    def _results(request, counts, hits, suggestion="") -> SearchResults:
        return SearchResults(
            request=request,
            hits=hits,
            total=_total(counts),
            facets=build_facets(counts, request.filters),
            backend=BACKEND_NAME,
            suggestion=suggestion,
        )

    def suggest(self, query: str) -> list[Suggestion]:
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
                .annotate(
                    rank=SearchRank(F("search_vector"), ts_query, weights=[0.0, 0.0, 0.4, 1.0])
                )
                .order_by("-rank", "id")
            )
        else:
            for word in query_words:
                entries = entries.filter(
                    Q(folded_title__contains=word) | Q(folded_names__contains=word)
                )
            entries = entries.order_by("-has_image", "sort_title", "id")
        return [Suggestion(e.title, e.url, e.summary) for e in entries[:SUGGEST_LIMIT]]
