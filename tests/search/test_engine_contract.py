"""The search on a live engine: OpenSearch (OPENSEARCH_URL) or Elasticsearch
(ELASTICSEARCH_URL), whichever the environment names. Each test has its own
index prefix, deleted afterwards (the `search_engine` fixture); without an
engine these are skipped, but in CI (CI=true) they fail. docs/search.md:

    OPENSEARCH_URL=http://127.0.0.1:9200 .venv/bin/pytest tests/search -m search_engine
"""

import pytest

from memories.models import Memory
from search.backends import search, suggest
from search.documents import index_alias, index_body
from search.registry import all_kinds, get_kind
from search.results import SearchRequest
from search.services import search_index_check, search_index_rebuild, search_index_update
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, MakerFactory, ObjectImageFactory
from tests.factories.stories import StaffProfileFactory, StoryPageFactory, ThemeFactory

from .conftest import ENGINE_URL_SETTING, OBJECTS

pytestmark = [pytest.mark.search_engine, pytest.mark.django_db]


@pytest.fixture
def sample(search_engine):
    hockney = MakerFactory(name="David Hockney")
    pool = CollectionObjectFactory(
        title="A Bigger Splash",
        accession_number="T03254",
        makers=[hockney],
        date_earliest=1967,
        description="<p>A pool in California and a diving board.</p>",
    )
    ObjectImageFactory(object=pool)
    CollectionObjectFactory(
        title="Programme",
        accession_number="P-0001",
        description="<p>Mentions a splash, and the poster T03254.</p>",
    )
    CollectionObjectFactory(title="Café Royal menu", accession_number="P-0002")
    CollectionObjectFactory(title="Hidden draft splash", live=False)
    StoryPageFactory(
        title="Making a splash in Battersea",
        authors=[StaffProfileFactory(name="Sam Archivist")],
        themes=[ThemeFactory(name="Making")],
    )
    StoryPageFactory(title="Unpublished splash story", live=False)
    MemoryFactory(object=pool, text="I saw the splash painting on a school trip")
    MemoryFactory(
        object=pool, status=Memory.Status.PENDING, text="A pending splash memory nobody approved"
    )
    search_index_rebuild()
    return pool


def titles(results):
    return [hit.title for hit in results.hits]


def test_the_engine_accepts_every_kinds_mapping_and_analysers(sample, search_engine):
    for kind in all_kinds():
        [(name, index_settings)] = search_engine.index_settings(index_alias(kind)).items()
        assert name.startswith(f"{index_alias(kind)}-")
        expected_analysers = index_body(kind)["settings"]["analysis"]["analyzer"]
        assert set(index_settings["analysis"]["analyzer"]) == set(expected_analysers)
    # English stemming and folded accents.
    assert "Café Royal menu" in titles(search(SearchRequest(query="cafe")))
    assert "A Bigger Splash" in titles(search(SearchRequest(query="bigger splashes")))


def test_search_ranks_facets_and_highlights(sample, search_engine):
    results = search(SearchRequest(query="splash", filters={"kind": "objects"}))

    assert results.backend == search_engine.name
    # Title before description; the draft never.
    assert titles(results) == ["A Bigger Splash", "Programme"]
    assert {v.label for v in results.facets["maker"]} == {"David Hockney"}
    assert {v.label: v.count for v in results.facets["image"]} == {
        "With images": 1,
        "Without images": 1,
    }
    pool = search(SearchRequest(query="diving board")).hits[0]
    assert pool.highlight == "A pool in California and a <mark>diving</mark> <mark>board</mark>."


def test_filters_sorts_and_an_exact_identifier_first(sample):
    assert search(SearchRequest(query="splash", filters={"decade": "1960"})).total == 1
    # The Programme mentions T03254 in its description: the object numbered so comes first.
    by_number = search(SearchRequest(query="T03254", filters={"kind": "objects"}))
    assert titles(by_number) == ["A Bigger Splash", "Programme"]
    assert by_number.hits[0].id == sample.pk
    sorted_by_title = search(
        SearchRequest(query="splash", filters={"kind": "objects"}, sort="title")
    )
    assert titles(sorted_by_title) == ["A Bigger Splash", "Programme"]


def test_misspellings_are_corrected(sample, search_engine):
    results = search(SearchRequest(query="hockny"))

    assert results.corrected_from == "hockny"
    assert results.backend == search_engine.name
    assert titles(results)[0] == "A Bigger Splash"


def test_suggest_as_you_type(sample):
    assert [s.label for s in suggest("bigg")] == ["A Bigger Splash"]


def test_every_public_kind_is_found_and_nothing_private(sample):
    results = search(SearchRequest(query="splash"))

    assert {v.value: v.count for v in results.facets["kind"]} == {
        "objects": 2,
        "stories": 1,
        "memories": 1,
    }
    found = titles(results)
    assert "Making a splash in Battersea" in found
    assert "“I saw the splash painting on a school trip”" in found
    assert not [title for title in found if "draft" in title or "nobody approved" in title]
    assert search(SearchRequest(query="unpublished")).total == 0
    assert search(SearchRequest(query="pending nobody approved")).total == 0


def test_publishing_and_unpublishing_follow_through(sample, search_engine):
    sample.unpublish()
    # No refresh of our own: an update is searchable when its task ends, because the
    # page cache is bumped then and a search cached before the refresh would be stale.
    search_index_update(model_label=OBJECTS, pks=[sample.pk])

    assert search(SearchRequest(query="bigger", filters={"kind": "objects"})).total == 0


def test_the_database_answers_when_the_engine_is_unreachable(
    sample, search_engine, settings, client
):
    setattr(settings, ENGINE_URL_SETTING[search_engine.name], "http://127.0.0.1:1")

    results = search(SearchRequest(query="splash", filters={"kind": "objects"}))

    assert results.backend == "database"
    assert titles(results) == ["A Bigger Splash", "Programme"]
    assert client.get("/search/", {"q": "splash"}).status_code == 200


def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(sample, search_engine):
    alias = index_alias(get_kind("objects"))
    before = set(search_engine.alias_indexes(alias))

    report = search_index_rebuild()

    after = set(search_engine.alias_indexes(alias))
    assert after < set(report.engine_indexes)
    assert not before & after
    assert set(search_engine.index_settings(f"{alias}-*")) == after
    assert all(drift.in_sync for drift in search_index_check())
