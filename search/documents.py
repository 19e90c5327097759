"""Elasticsearch mappings: one `Document` per searchable type, behind an alias.

Reads and incremental writes go to the alias (e.g. "bac-objects"); a rebuild
creates a timestamped index from the same Document and swaps the alias to it
(search/services.py). The mapping is strict, so a field the indexer forgets to
declare fails loudly instead of being guessed. Snapshot:
tests/search/snapshots/object_index.json.
"""

from django.conf import settings
from elasticsearch import dsl

from .client import object_index_alias

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


class CollectionObjectDocument(dsl.Document):
    object_id = dsl.Integer()
    # Exact: "T07799" finds that object and nothing else (case-insensitive).
    accession_number = dsl.Keyword(normalizer=sort_normalizer)
    title = english_text(autocomplete=True, sortable=True)
    makers = english_text(autocomplete=True)
    production = english_text(autocomplete=True)
    subjects = english_text()
    places = english_text()
    materials = english_text()
    description = english_text()
    # Title, maker and production words: the vocabulary "did you mean" draws on.
    spelling = dsl.Text(analyzer=folding_analyzer)

    object_type = dsl.Keyword()
    decade = dsl.Integer()
    date_earliest = dsl.Integer()
    has_image = dsl.Boolean()
    # "slug|Label", so a facet bucket carries its URL value and its label.
    production_facet = dsl.Keyword()
    maker_facet = dsl.Keyword()
    subject_facet = dsl.Keyword()

    # Shown in results, never searched.
    slug = dsl.Keyword(index=False)
    date_display = dsl.Keyword(index=False)
    updated_at = dsl.Date()

    class Index:
        name = object_index_alias()
        settings = {
            "number_of_shards": 1,
            "number_of_replicas": settings.ELASTICSEARCH_REPLICAS,
            "max_result_window": 10_000,
        }

    class Meta:
        dynamic = dsl.MetaField("strict")


def object_index_body() -> dict:
    """Settings and mappings as sent when creating an index (the snapshot)."""
    return CollectionObjectDocument._index.to_dict()
