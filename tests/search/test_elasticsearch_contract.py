"""Contract tests against a live Elasticsearch 9 cluster.

Skipped unless ELASTICSEARCH_URL is set. They write to the
"<ELASTICSEARCH_INDEX_PREFIX>-objects" alias, so point them at a throwaway
cluster or prefix (docs/search.md):

    docker compose -f search/docker-compose.elasticsearch.yml up -d
    ELASTICSEARCH_URL=http://127.0.0.1:9200 ELASTICSEARCH_INDEX_PREFIX=bac-test \\
        .venv/bin/pytest tests/search -m elasticsearch
"""

import os

import pytest

from search.backends import search, suggest
from search.client import get_client
from search.documents import index_alias
from search.registry import get_kind
from search.results import SearchRequest
from search.services import search_index_check, search_index_rebuild, search_index_update
from tests.factories.objects import CollectionObjectFactory, MakerFactory, ObjectImageFactory

from .conftest import OBJECTS

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="needs a live cluster: set ELASTICSEARCH_URL to run the contract suite",
    ),
]


@pytest.fixture
def sample(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    hockney = MakerFactory(name="David Hockney")
    pool = CollectionObjectFactory(title="A Bigger Splash", makers=[hockney], date_earliest=1967)
    ObjectImageFactory(object=pool)
    CollectionObjectFactory(title="Programme", description="<p>Mentions a splash.</p>")
    CollectionObjectFactory(title="Hidden draft splash", live=False)
    search_index_rebuild()
    return pool


def refresh():
    get_client().indices.refresh(index=index_alias(get_kind("objects")))


def test_search_ranks_facets_and_highlights(sample):
    results = search(SearchRequest(query="splash"))

    assert results.backend == "elasticsearch"
    assert [hit.title for hit in results.hits] == ["A Bigger Splash", "Programme"]
    assert {v.label for v in results.facets["maker"]} == {"David Hockney"}
    assert {v.label: v.count for v in results.facets["image"]} == {
        "With images": 1,
        "Without images": 1,
    }


def test_filters_sorts_and_exact_accession(sample):
    assert search(SearchRequest(query="splash", filters={"decade": "1960"})).total == 1
    assert search(SearchRequest(query=sample.accession_number)).hits[0].id == sample.pk
    titles = [h.title for h in search(SearchRequest(query="splash", sort="title")).hits]
    assert titles == ["A Bigger Splash", "Programme"]


def test_misspellings_are_corrected(sample):
    results = search(SearchRequest(query="hockny"))

    assert results.corrected_from == "hockny"
    assert results.hits[0].title == "A Bigger Splash"


def test_suggest_as_you_type(sample):
    assert [s.label for s in suggest("bigg")] == ["A Bigger Splash"]


def test_publishing_and_unpublishing_follow_through(sample):
    sample.unpublish()
    search_index_update(model_label=OBJECTS, pks=[sample.pk])
    refresh()
    assert search(SearchRequest(query="bigger")).total == 0


def test_rebuild_swaps_the_alias_to_a_new_index(sample):
    client = get_client()
    before = set(client.indices.get_alias(name=index_alias(get_kind("objects"))))

    report = search_index_rebuild()

    after = set(client.indices.get_alias(name=index_alias(get_kind("objects"))))
    assert after == set(report.elasticsearch_indexes)
    assert not before & after
    assert all(drift.in_sync for drift in search_index_check())
