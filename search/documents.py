"""Search-engine mappings: one index per kind, behind an alias, all sharing
the common fields of `SearchDocument` so one query searches every kind.

Declared with `elasticsearch.dsl` and sent as the plain body `index_body()`
makes, which OpenSearch and Elasticsearch both accept (search/engines.py).
Reads and incremental writes go to the alias (e.g. "bac-objects"); a rebuild
creates a timestamped index from the kind's Document and swaps the alias to
it (search/services.py). The mapping is strict, so a field the indexer
forgets to declare fails loudly instead of being guessed. Snapshot:
tests/search/snapshots/object_index.json.
"""

from django.conf import settings
from elasticsearch import dsl

from .registry import SearchKind

folding_analyzer = dsl.analyzer(
    "bac_folded", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
english_analyzer = dsl.analyzer(
    "bac_english",
    tokenizer="standard",
    filter=[
        dsl.token_filter("bac_english_possessive", type="stemmer", language="possessive_english"),
        "lowercase",
        "asciifolding",
        dsl.token_filter("bac_english_stop", type="stop", stopwords="_english_"),
        dsl.token_filter("bac_english_stemmer", type="stemmer", language="english"),
    ],
)
# Indexed as word prefixes ("hoc", "hock", ...), searched as whole words, so
# the suggest box matches what has been typed so far.
autocomplete_analyzer = dsl.analyzer(
    "bac_autocomplete",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        dsl.token_filter("bac_edge_ngram", type="edge_ngram", min_gram=2, max_gram=20),
    ],
)
sort_normalizer = dsl.normalizer("bac_sort", filter=["lowercase", "asciifolding"])


def english_text(*, autocomplete: bool = False, sortable: bool = False) -> dsl.Text:
    """Stemmed English text, plus unstemmed `folded` and optional sub-fields."""
    subfields = {"folded": dsl.Text(analyzer=folding_analyzer)}
    if autocomplete:
        subfields["autocomplete"] = dsl.Text(
            analyzer=autocomplete_analyzer, search_analyzer=folding_analyzer
        )
    if sortable:
        subfields["sort"] = dsl.Keyword(normalizer=sort_normalizer, ignore_above=256)
    return dsl.Text(analyzer=english_analyzer, fields=subfields)


class SearchDocument(dsl.Document):
    """The fields every kind's document has (search/indexing.py fills them).

    A kind subclasses this to add fields of its own; the shared query reads
    only these.
    """

    kind = dsl.Keyword()
    record_id = dsl.Integer()
    # Exact: "T07799" finds that object and nothing else (case-insensitive).
    identifier = dsl.Keyword(normalizer=sort_normalizer)
    title = english_text(autocomplete=True, sortable=True)
    names = english_text(autocomplete=True)
    keywords = english_text()
    description = english_text()
    # Title and name words: the vocabulary "did you mean" draws on.
    spelling = dsl.Text(analyzer=folding_analyzer)

    # "name|value|Label" per facet value: aggregated, so a bucket carries
    # its facet, URL value and label. "name|value": filtered on. Every search
    # aggregates `facets`: its global ordinals are built at each refresh, not
    # by the first search after one.
    facets = dsl.Keyword(eager_global_ordinals=True)
    filters = dsl.Keyword()
    date_earliest = dsl.Integer()
    has_image = dsl.Boolean()

    # Shown in results, never searched.
    url = dsl.Keyword(index=False)
    summary = dsl.Keyword(index=False)
    updated_at = dsl.Date()

    class Meta:
        dynamic = dsl.MetaField("strict")


def index_alias(kind: SearchKind) -> str:
    """The alias every read and incremental write for this kind goes through."""
    return f"{settings.SEARCH_INDEX_PREFIX}-{kind.name}"


def document_class(kind: SearchKind) -> type[SearchDocument]:
    return kind.document or SearchDocument


def serving_settings() -> dict:
    """An index that serves searches: new documents visible within a second,
    each write on disk (the translog) before it is acknowledged (the engines'
    defaults), and its replicas (SEARCH_INDEX_REPLICAS)."""
    return {
        "refresh_interval": "1s",
        "translog": {"durability": "request"},
        "number_of_replicas": settings.SEARCH_INDEX_REPLICAS,
    }


def loading_settings() -> dict:
    """While a rebuild bulk-loads an index nobody reads yet: not refreshed
    (SEARCH_REBUILD_REFRESH_INTERVAL), the translog written to disk every few
    seconds rather than for every bulk request, and no replicas (each would
    index every document again; they copy the finished index's segments once
    it serves). Lost in a crash? Then so is the rebuild, and its half-built
    index with it."""
    return {
        "refresh_interval": settings.SEARCH_REBUILD_REFRESH_INTERVAL,
        "translog": {"durability": "async"},
        "number_of_replicas": 0,
    }


def index_body(kind: SearchKind, *, loading: bool = False) -> dict:
    """Settings and mappings as sent when creating the kind's index (the
    snapshot); a rebuild creates its indexes `loading` (loading_settings)."""
    index = dsl.Index(index_alias(kind))
    index.settings(
        number_of_shards=settings.SEARCH_INDEX_SHARDS,
        number_of_replicas=settings.SEARCH_INDEX_REPLICAS,
        max_result_window=10_000,
    )
    if loading:
        index.settings(**loading_settings())
    index.document(document_class(kind))
    return index.to_dict()
