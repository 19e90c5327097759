"""The OpenAPI document: valid OpenAPI 3.1, served at a stable URL, with docs
that load nothing from another origin; and a bounded schemathesis run."""

import re

import jsonschema
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import OpenAPIV31SpecValidator
from schemathesis.specs.openapi.definitions import OPENAPI_31

from bac_collection.wsgi import application

SCHEMA_URL = "/api/v1/openapi.json"

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid_openapi_3_1(client):
    response = client.get(SCHEMA_URL)

    document = response.json()
    assert response.status_code == 200
    assert document["openapi"].startswith("3.1")
    jsonschema.Draft202012Validator(OPENAPI_31).validate(document)
    assert {"/api/v1/objects/", "/api/v1/objects/{slug}", "/api/v1/search"} <= set(
        document["paths"]
    )


def test_openapi_schema_passes_the_openapi_spec_validator(client):
    document = client.get(SCHEMA_URL).json()

    errors = [error.message for error in OpenAPIV31SpecValidator(document).iter_errors()]

    assert errors == []
    operation_ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert {"object_list", "maker_detail", "place_list", "search"} <= set(operation_ids)


def test_every_get_endpoint_answers_head(client, archive):
    document = client.get(SCHEMA_URL).json()
    ids = {
        "slug": archive["poster"].slug,
        "public_id": "00000000-0000-0000-0000-000000000000",
        "call_id": "1",
    }

    statuses = set()
    for path, operations in document["paths"].items():
        url = path.format(**ids)
        get, head = client.get(url), client.head(url)
        assert list(operations) == ["get"], path
        assert (head.status_code, head["Content-Type"]) == (get.status_code, get["Content-Type"])
        statuses.add(head.status_code)
    assert statuses == {200, 404}  # 404: that slug is only an object's


def test_docs_page_loads_its_assets_from_this_site_only(client):
    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/static/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert "cdn" not in html.lower()


api_schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)


@pytest.fixture
def seeded(archive):
    """The archive, with the WSGI app kept from closing the test's database
    connection after each request (as Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield archive
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@api_schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_within_its_schema(case, seeded):
    # Every check (schemathesis 4 runs them all unless told otherwise), "schema-valid
    # data is accepted" included: the schema describes exactly which cursors are valid
    # (api/cursors.py).
    case.call_and_validate()


# Stateful: sequences of calls that follow the links schemathesis infers between
# operations (a list's slugs into its detail), each answer checked as above.
APIWorkflow = api_schema.as_state_machine()


def test_api_holds_up_over_sequences_of_calls(seeded):
    assert "GET /api/v1/makers/{slug}" in api_schema.operations_with_incoming_links()
    APIWorkflow.run(
        settings=settings(
            max_examples=25,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
    )
