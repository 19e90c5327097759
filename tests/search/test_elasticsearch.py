"""The Elasticsearch backend without a cluster: mappings and request bodies
against snapshots, recorded responses parsed, indexing requests, and the
fallback to the database when the cluster fails."""

import json
from pathlib import Path
from unittest import mock

import pytest
from elastic_transport import ApiResponseMeta, ConnectionError, ConnectionTimeout, HttpHeaders
from elasticsearch import ApiError
from elasticsearch.dsl import connections

from search import backends
from search.backends import search_backend_status
from search.results import SearchRequest
from search.services import IndexingFailed, search_index_update
from tests.factories.objects import CollectionObjectFactory, MakerFactory

from .conftest import OBJECTS
from .es_snapshots import QUERY_CASES, SNAPSHOTS, index_body, query_bodies

FIXTURES = Path(__file__).parent / "fixtures"


def recorded(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def fake_cluster(settings):
    """Elasticsearch "configured", answered by a mock client."""
    settings.ELASTICSEARCH_URL = "http://elasticsearch.test:9200"
    client = mock.MagicMock(name="Elasticsearch")
    client.indices.exists_alias.return_value = True
    with mock.patch("search.client._client_for", return_value=client):
        connections.add_connection("default", client)
        yield client
    connections.remove_connection("default")


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
def test_search_falls_back_to_the_database_when_elasticsearch_fails(fake_cluster, index, failure):
    index(CollectionObjectFactory(title="Fallback poster"))
    fake_cluster.search.side_effect = failure

    results = backends.search(SearchRequest(query="fallback"))

    assert results.backend == "database"
    assert [hit.title for hit in results.hits] == ["Fallback poster"]
    assert results.fallback_notice
    # During the outage Elasticsearch is not even tried.
    backends.search(SearchRequest(query="fallback"))
    assert fake_cluster.search.call_count == 1


@pytest.mark.django_db
def test_a_real_unreachable_cluster_falls_back_quickly(settings, index):
    index(CollectionObjectFactory(title="Offline poster"))
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port

    results = backends.search(SearchRequest(query="offline"))

    assert results.backend == "database"
    assert results.total == 1
    assert backends.suggest("offl")[0].label == "Offline poster"


@pytest.mark.django_db
def test_health_reports_an_unreachable_cluster_as_down(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    status = search_backend_status()

    assert status["status"] == "down"
    assert status["backend"] == "elasticsearch"
    assert status["fallback"] == "database"


@pytest.mark.django_db
def test_healthz_is_degraded_not_down_without_elasticsearch(settings, client):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["services"]["search"]["status"] == "degraded"


def test_health_without_elasticsearch_is_the_database(no_elasticsearch):
    assert search_backend_status() == {"status": "ok", "backend": "database"}


def test_health_with_a_ready_cluster(fake_cluster):
    fake_cluster.options.return_value = fake_cluster
    fake_cluster.cluster.health.return_value = {"status": "green"}

    assert search_backend_status()["status"] == "ok"


@pytest.fixture
def bulk():
    with mock.patch("search.services.helpers.bulk", return_value=(0, [])) as bulk:
        yield bulk


def bulk_actions(bulk):
    return [action for call in bulk.call_args_list for action in call.args[1]]


@pytest.mark.django_db
def test_indexing_sends_live_objects_and_deletes_the_rest(fake_cluster, bulk):
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
def test_rejected_documents_raise_so_the_task_retries(fake_cluster, bulk):
    bulk.return_value = (0, [{"index": {"_id": "1", "status": 400, "error": "strict mapping"}}])

    with pytest.raises(IndexingFailed):
        search_index_update(model_label=OBJECTS, pks=[CollectionObjectFactory().pk])


@pytest.mark.django_db
def test_deleting_what_is_already_gone_is_not_an_error(fake_cluster, bulk):
    bulk.return_value = (0, [{"delete": {"_id": "5", "status": 404}}])

    assert search_index_update(model_label=OBJECTS, pks=[5]) == 1


@pytest.mark.django_db
def test_the_update_task_retries_when_elasticsearch_is_down(fake_cluster, bulk):
    from search.tasks import update_index_task

    bulk.side_effect = ConnectionError("refused")
    obj = CollectionObjectFactory()
    retrying = mock.patch.object(update_index_task, "retry", side_effect=RuntimeError("retry"))
    with retrying as retry, pytest.raises(RuntimeError, match="retry"):
        update_index_task.run(OBJECTS, [obj.pk])
    assert retry.called


@pytest.mark.django_db
def test_a_database_entry_is_still_written_when_elasticsearch_is_down(fake_cluster, bulk):
    from search.models import SearchEntry

    bulk.side_effect = ConnectionError("refused")
    obj = CollectionObjectFactory()

    with pytest.raises(ConnectionError):
        search_index_update(model_label=OBJECTS, pks=[obj.pk])
    assert SearchEntry.objects.filter(record_id=obj.pk).exists()
