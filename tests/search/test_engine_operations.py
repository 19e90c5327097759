"""Operating the search on a live engine (OPENSEARCH_URL or
ELASTICSEARCH_URL; see test_engine_contract.py): rebuilding under traffic,
a rebuild that fails, the engine going away and coming back, and the index
settings.

The engine "dies" by pointing the site at a port nothing listens on: the
client then sees exactly what a dead node looks like, and the shared node
other tests use is left alone.
"""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from elasticsearch import dsl

from search.backends import search
from search.documents import SearchDocument, index_alias
from search.models import SearchEntry
from search.registry import get_kind
from search.results import SearchRequest
from search.services import search_index_rebuild
from tests.factories.objects import CollectionObjectFactory

from .conftest import ENGINE_URL_SETTING

pytestmark = [pytest.mark.search_engine, pytest.mark.django_db]
POSTERS = 120


@pytest.fixture
def posters(search_engine, django_capture_on_commit_callbacks):
    # Committed as the site would: their index updates are sent, not left pending.
    with django_capture_on_commit_callbacks(execute=True):
        objects = CollectionObjectFactory.create_batch(POSTERS)
    search_index_rebuild()
    return objects


def objects_alias():
    return index_alias(get_kind("objects"))


def run(*args):
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


def check() -> tuple[bool, str]:
    """`search_index check`: (in sync, its report)."""
    out = StringIO()
    try:
        call_command("search_index", "check", stdout=out)
    except SystemExit as exit_:
        return exit_.code == 0, out.getvalue()
    return True, out.getvalue()


def test_a_rebuild_swaps_indexes_under_searches_without_a_miss(posters, search_engine):
    before = search_engine.alias_indexes(objects_alias())
    totals, backends, errors = [], set(), []
    rebuilding = threading.Event()

    def search_in_a_loop():
        while rebuilding.is_set():
            try:
                results = search(SearchRequest(query="poster", filters={"kind": "objects"}))
            except Exception as exc:  # any failure at all is what this test looks for
                errors.append(exc)
            else:
                totals.append(results.total)
                backends.add(results.backend)

    rebuilding.set()
    searcher = threading.Thread(target=search_in_a_loop)
    searcher.start()
    try:
        run("rebuild", "--chunk-size", "10")
    finally:
        rebuilding.clear()
        searcher.join()

    assert search_engine.alias_indexes(objects_alias()) != before
    assert errors == []
    assert backends == {search_engine.name}
    assert len(totals) > 10, "the searches should have run throughout the rebuild"
    assert set(totals) == {POSTERS}


class TitleAsNumberDocument(SearchDocument):
    """The common fields, but a title the engine must read as a number."""

    title = dsl.Integer()


def test_a_rebuild_that_fails_leaves_the_old_index_serving(posters, search_engine, monkeypatch):
    serving = search_engine.alias_indexes(objects_alias())
    monkeypatch.setattr(get_kind("objects"), "document", TitleAsNumberDocument)

    with pytest.raises(CommandError, match="still serve the old indexes"):
        run("rebuild")

    assert search_engine.alias_indexes(objects_alias()) == serving
    # The half-built index is gone: only the serving one is left.
    assert list(search_engine.index_settings(f"{objects_alias()}-*")) == serving
    results = search(SearchRequest(query="poster", filters={"kind": "objects"}))
    assert (results.backend, results.total) == (search_engine.name, POSTERS)


def test_the_engine_going_away_and_coming_back(
    posters, search_engine, settings, client, django_capture_on_commit_callbacks, caplog
):
    url_setting = ENGINE_URL_SETTING[search_engine.name]
    live_url = getattr(settings, url_setting)

    setattr(settings, url_setting, "http://127.0.0.1:1")  # the node is gone
    page = client.get("/search/", {"q": "poster"})
    assert page.status_code == 200
    assert page.context["results"].backend == "database"
    assert page.context["results"].total == POSTERS
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["services"]["search"]["backend"] == search_engine.name
    assert client.get("/search/suggest/", {"q": "post"}).status_code == 200
    # Changes while it is gone reach the database only: the engine drifts.
    with django_capture_on_commit_callbacks(execute=True):
        CollectionObjectFactory.create_batch(3, title="Flyer made during the outage")
        posters[0].unpublish()
    assert client.get("/search/", {"q": "outage"}).context["results"].total == 3
    outage_lines = [r for r in caplog.records if "Search engine unavailable" in r.getMessage()]
    assert len(outage_lines) == 1

    setattr(settings, url_setting, live_url)  # it is back
    in_sync, report = check()
    assert not in_sync
    assert f"{search_engine.name} (objects): drift" in report
    assert "database (objects): in sync" in report
    with django_capture_on_commit_callbacks(execute=True):
        run("check", "--repair")

    search_engine.refresh(objects_alias())
    public = SearchEntry.objects.filter(kind="objects").count()
    assert public == POSTERS + 3 - 1
    assert search_engine.count(objects_alias()) == public
    in_sync, report = check()
    assert in_sync, report
    results = search(SearchRequest(query="outage"))
    assert (results.backend, results.total) == (search_engine.name, 3)


def test_index_settings_come_from_the_settings(posters, search_engine, settings):
    settings.SEARCH_INDEX_SHARDS = 2
    settings.SEARCH_INDEX_REPLICAS = 1  # on one node, unassigned: the index is yellow
    settings.SEARCH_REBUILD_REFRESH_INTERVAL = "-1"
    while_loading = []

    def read_settings(_indexed):
        while_loading.append(search_engine.index_settings(f"{objects_alias()}-*"))

    search_index_rebuild(on_progress=read_settings)

    [serving] = search_engine.alias_indexes(objects_alias())
    loading = while_loading[0][serving]
    assert loading["refresh_interval"] == "-1"
    assert loading["translog"]["durability"] == "async"
    assert loading["number_of_replicas"] == "0"  # replicas copy the finished index
    served = search_engine.index_settings(serving)[serving]
    assert served["refresh_interval"] == "1s"
    assert served["translog"]["durability"] == "request"
    assert (served["number_of_shards"], served["number_of_replicas"]) == ("2", "1")
    assert served["max_result_window"] == "10000"
