"""The search-engine backend through the Elasticsearch transport, without a
cluster: mappings and request bodies against snapshots (the bodies OpenSearch
gets too), recorded responses parsed, indexing requests, and the fallback to
the database when the engine fails. The same against a live engine:
test_engine_contract.py."""

import json
import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, ConnectionTimeout, HttpHeaders
from elasticsearch import ApiError

from search import backends
from search.backends import search_backend_status
from search.engines import SearchEngineUnavailable
from search.registry import all_kinds
from search.results import SearchRequest
from search.services import IndexingFailed, search_index_rebuild, search_index_update
from tests.factories.objects import CollectionObjectFactory, MakerFactory

from .conftest import OBJECTS
from .es_snapshots import QUERY_CASES, SNAPSHOTS, index_body, query_bodies
from .fakes import bulk_actions, fake_elasticsearch

FIXTURES = Path(__file__).parent / "fixtures"


def recorded(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def fake_cluster(settings):
    """Elasticsearch "configured", answered by a mock client."""
    with fake_elasticsearch(settings) as (client, _bulk):
        yield client


@pytest.fixture
def bulk(settings):
    with fake_elasticsearch(settings) as (_client, bulk):
        yield bulk


def answer(client, *bodies):
    client.search.side_effect = [mock.Mock(body=body) for body in bodies]


def sent_bodies(client):
    return [call.kwargs["body"] for call in client.search.call_args_list]


def test_index_settings_and_mappings_match_the_snapshot():
    assert index_body() == json.loads((SNAPSHOTS / "object_index.json").read_text())


def test_the_mapping_is_strict_with_exact_identifiers():
    mapping = index_body()["mappings"]
    assert mapping["dynamic"] == "strict"
    assert mapping["properties"]["identifier"]["type"] == "keyword"
    assert "autocomplete" in mapping["properties"]["title"]["fields"]


def test_query_bodies_match_the_snapshots():
    assert query_bodies() == json.loads((SNAPSHOTS / "query_bodies.json").read_text())


def test_user_input_never_reaches_a_query_string_query():
    serialised = json.dumps(query_bodies())
    assert "query_string" not in serialised
    body = query_bodies()["query_syntax_is_text"]
    should = body["query"]["function_score"]["query"]["bool"]["should"]
    assert should[0]["multi_match"]["query"] == 'title:(poster OR "unbalanced *'


def test_deep_pages_are_from_and_size_within_the_result_window():
    body = query_bodies()["filters_only_deep_page"]
    assert (body["from"], body["size"]) == (120, 20)


@pytest.mark.django_db
def test_a_recorded_response_is_parsed_into_results(fake_cluster):
    answer(fake_cluster, recorded("response_text_query.json"))

    results = backends.search(QUERY_CASES["text_query"])

    assert results.backend == "elasticsearch"
    assert results.total == 2
    assert [hit.id for hit in results.hits] == [41, 97]
    first = results.hits[0]
    assert (first.kind, first.kind_label) == ("objects", "Object")
    assert first.url == "/objects/t03254-a-bigger-splash/"
    assert first.summary == "Painting · 1967 · David Hockney"
    assert first.highlight == "A <mark>pool</mark> in California &amp; a diving board"
    labels = {name: [(v.label, v.count) for v in values] for name, values in results.facets.items()}
    assert labels["maker"] == [("David Hockney", 1)]
    assert labels["image"] == [("With images", 1), ("Without images", 1)]
    assert labels["decade"] == [("1960s", 1)]
    assert results.facets["maker"][0].value == "david-hockney"
    assert labels["kind"] == [("Objects", 2)]
    assert labels["type"] == [("Painting", 1), ("Programme", 1)]
    assert results.suggestion == ""
    assert sent_bodies(fake_cluster) == [query_bodies()["text_query"]]
    # Every kind's alias, even one not yet built.
    searched = fake_cluster.search.call_args.kwargs["index"]
    assert searched == [f"bac-{kind.name}" for kind in all_kinds()]
    assert searched[:3] == ["bac-objects", "bac-stories", "bac-memories"]
    assert fake_cluster.search.call_args.kwargs["ignore_unavailable"] is True


@pytest.mark.django_db
def test_a_misspelling_is_corrected_with_the_term_suggester(fake_cluster):
    answer(fake_cluster, recorded("response_misspelt.json"), recorded("response_text_query.json"))

    results = backends.search(SearchRequest(query="hockny"))

    assert results.corrected_from == "hockny"
    assert results.suggestion == "hockney"
    assert results.total == 2
    retried = sent_bodies(fake_cluster)[1]["query"]["function_score"]["query"]["bool"]["should"]
    assert retried[0]["multi_match"]["query"] == "hockney"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "failure",
    [
        ConnectionError("connection refused"),
        ConnectionTimeout("timed out"),
        ApiError("search_phase_execution_exception",
                 ApiResponseMeta(503, "1.1", HttpHeaders(), 0.1, None), {}),
    ],
    ids=["refused", "timeout", "error-status"],
)  # fmt: skip
def test_search_falls_back_to_the_database_when_the_engine_fails(fake_cluster, index, failure):
    index(CollectionObjectFactory(title="Fallback poster"))
    fake_cluster.search.side_effect = failure

    results = backends.search(SearchRequest(query="fallback"))

    assert results.backend == "database"
    assert [hit.title for hit in results.hits] == ["Fallback poster"]
    assert results.fallback_notice
    # During the outage the engine is not even tried.
    backends.search(SearchRequest(query="fallback"))
    assert fake_cluster.search.call_count == 1


# Nothing listens on the discard port; a URL no client can use.
UNREACHABLE = ["http://127.0.0.1:9", "not a url at all"]


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["OPENSEARCH_URL", "ELASTICSEARCH_URL"])
@pytest.mark.parametrize("url", UNREACHABLE)
def test_an_unreachable_engine_falls_back_quickly(settings, index, engine, url):
    index(CollectionObjectFactory(title="Offline poster"))
    setattr(settings, engine, url)

    results = backends.search(SearchRequest(query="offline"))

    assert results.backend == "database"
    assert results.total == 1
    assert backends.suggest("offl")[0].label == "Offline poster"


@pytest.mark.django_db
def test_an_outage_is_logged_once_and_its_end_once(caplog, monkeypatch, fake_cluster):
    monkeypatch.setattr(backends, "OUTAGE_SECONDS", 0)  # every search tries the engine again
    fake_cluster.search.side_effect = ConnectionError("connection refused")
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        for _ in range(3):
            assert backends.search(SearchRequest(query="poster")).backend == "database"
        fake_cluster.search.side_effect = None
        answer(fake_cluster, *[recorded("response_text_query.json")] * 2)
        for _ in range(2):
            assert backends.search(SearchRequest(query="poster")).backend == "elasticsearch"

    assert fake_cluster.search.call_count == 5
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert lines[0].startswith("Search engine unavailable, the database answers searches: ")
    assert "elasticsearch at http://elasticsearch.test:9200: ConnectionError" in lines[0]
    assert lines[1] == "Search engine answering again: searches use it once more."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("engine", "name"), [("OPENSEARCH_URL", "opensearch"), ("ELASTICSEARCH_URL", "elasticsearch")]
)
def test_health_reports_an_unreachable_engine_as_down(settings, engine, name):
    setattr(settings, engine, "http://127.0.0.1:9")

    status = search_backend_status()

    assert status["status"] == "down"
    assert status["backend"] == name
    assert status["fallback"] == "database"


@pytest.mark.django_db
def test_healthz_is_degraded_not_down_without_the_engine(settings, client):
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"

    response = client.get("/healthz")

    assert response.status_code == 200
    search = response.json()["services"]["search"]
    assert (search["status"], search["backend"]) == ("degraded", "opensearch")


def test_health_without_an_engine_is_the_database():
    assert search_backend_status() == {"status": "ok", "backend": "database"}


def test_health_with_a_ready_cluster(fake_cluster):
    fake_cluster.options.return_value = fake_cluster
    fake_cluster.cluster.health.return_value = {"status": "green"}

    assert search_backend_status()["status"] == "ok"


@pytest.mark.django_db
def test_indexing_sends_live_objects_and_deletes_the_rest(bulk):
    live = CollectionObjectFactory(title="Live", makers=[MakerFactory(name="Ann Example")])
    draft = CollectionObjectFactory(title="Draft", live=False)

    search_index_update(model_label=OBJECTS, pks=[live.pk, draft.pk, 99999])

    actions = bulk_actions(bulk)
    indexed = [a for a in actions if "_source" in a]
    deleted = sorted(a["_id"] for a in actions if a.get("_op_type") == "delete")
    assert [a["_id"] for a in indexed] == [live.pk]
    assert indexed[0]["_index"] == "bac-objects"
    assert "maker|ann-example|Ann Example" in indexed[0]["_source"]["facets"]
    assert "maker|ann-example" in indexed[0]["_source"]["filters"]
    assert indexed[0]["_source"]["kind"] == "objects"
    assert deleted == sorted([draft.pk, 99999])


@pytest.mark.django_db
def test_rejected_documents_raise_so_the_task_retries(bulk):
    bulk.return_value = (0, [{"index": {"_id": "1", "status": 400, "error": "strict mapping"}}])

    with pytest.raises(IndexingFailed):
        search_index_update(model_label=OBJECTS, pks=[CollectionObjectFactory().pk])


@pytest.mark.django_db
def test_deleting_what_is_already_gone_is_not_an_error(bulk):
    bulk.return_value = (0, [{"delete": {"_id": "5", "status": 404}}])

    assert search_index_update(model_label=OBJECTS, pks=[5]) == 1


@pytest.mark.django_db
def test_the_update_task_retries_when_the_engine_is_down(bulk):
    from search.tasks import update_index_task

    bulk.side_effect = ConnectionError("refused")
    obj = CollectionObjectFactory()
    retrying = mock.patch.object(update_index_task, "retry", side_effect=RuntimeError("retry"))
    with retrying as retry, pytest.raises(RuntimeError, match="retry"):
        update_index_task.run(OBJECTS, [obj.pk])
    assert retry.called


@pytest.mark.django_db
def test_a_database_entry_is_still_written_when_the_engine_is_down(bulk):
    from search.models import SearchEntry

    bulk.side_effect = ConnectionError("refused")
    obj = CollectionObjectFactory()

    with pytest.raises(SearchEngineUnavailable):
        search_index_update(model_label=OBJECTS, pks=[obj.pk])
    assert SearchEntry.objects.filter(record_id=obj.pk).exists()


@pytest.mark.django_db
def test_a_rebuild_sends_each_document_once_as_ndjson_asking_only_for_errors(fake_cluster):
    live = CollectionObjectFactory(title="Live", makers=[MakerFactory(name="Ann Example")])
    fake_cluster.indices.get_alias.return_value = mock.Mock(body={})
    fake_cluster.bulk.return_value = mock.Mock(body={"errors": False})

    search_index_rebuild()

    [call] = fake_cluster.bulk.call_args_list
    assert call.kwargs["filter_path"] == "errors,items.*.error,items.*.status,items.*._id"
    action, source = call.kwargs["operations"].splitlines()
    index = fake_cluster.indices.create.call_args_list[0].kwargs["index"]
    assert json.loads(action) == {"index": {"_index": index, "_id": live.pk}}
    source = json.loads(source)
    assert source["title"] == "Live" and "maker|ann-example|Ann Example" in source["facets"]
    assert datetime.fromisoformat(source["updated_at"]) == live.updated_at


@pytest.mark.django_db
def test_a_rebuild_the_engine_refuses_drops_its_new_indexes(fake_cluster):
    CollectionObjectFactory()
    refused = {"_id": "1", "status": 400, "error": {"type": "mapper_parsing_exception"}}
    fake_cluster.bulk.return_value = mock.Mock(body={"errors": True, "items": [{"index": refused}]})

    with pytest.raises(IndexingFailed, match="1 documents rejected.*mapper_parsing_exception"):
        search_index_rebuild()

    created = [c.kwargs["index"] for c in fake_cluster.indices.create.call_args_list]
    deleted = [c.kwargs["index"] for c in fake_cluster.indices.delete.call_args_list]
    assert created and sorted(deleted) == sorted(created)
    fake_cluster.indices.update_aliases.assert_not_called()


def test_both_engine_urls_refuse_to_start():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bac_collection.settings.base",
        "OPENSEARCH_URL": "http://127.0.0.1:9200",
        "ELASTICSEARCH_URL": "http://127.0.0.1:9201",
    }

    started = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],  # the project, with manage.py
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert started.returncode != 0
    assert "ImproperlyConfigured: Both OPENSEARCH_URL and ELASTICSEARCH_URL are set" in (
        started.stderr
    )
