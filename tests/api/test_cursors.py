"""The properties that keep the API's own keyset cursors (api/cursors.py) rather than
django-ninja's CursorPagination: each test here failed for ninja's when it was measured
(see the module docstring of api/cursors.py)."""

import base64
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from objects.models import ObjectMaker
from tests.factories.objects import CollectionObjectFactory, MakerFactory

pytestmark = pytest.mark.django_db

OBJECTS = "/api/v1/objects/"


def _ids(page) -> list[int]:
    return [item["id"] for item in page["results"]]


def _objects_query(queries) -> str:
    [sql] = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "objects_collectionobject"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    return sql


def test_a_deep_page_is_a_keyset_range_with_the_queries_of_the_first(client):
    objects = [CollectionObjectFactory() for _ in range(12)]

    with CaptureQueriesContext(connection) as first:
        page = client.get(f"{OBJECTS}?page_size=3").json()
    while page["next"]:
        with CaptureQueriesContext(connection) as last:
            previous, page = page, client.get(page["next"]).json()

    assert _ids(page) == [obj.pk for obj in objects[-3:]]
    assert len(last) == len(first)
    sql = _objects_query(last)
    # Continues after the last key the client saw, by index range, never by skipping rows.
    assert re.search(rf'"objects_collectionobject"\."id" > {_ids(previous)[-1]}\b', sql)
    assert "OFFSET" not in sql


def test_an_object_published_between_two_requests_after_the_last_seen_is_not_skipped(client):
    seen, draft, after = (
        CollectionObjectFactory(),
        CollectionObjectFactory(live=False),
        CollectionObjectFactory(),
    )

    first = client.get(f"{OBJECTS}?page_size=1").json()
    draft.save_revision().publish()
    second = client.get(first["next"]).json()

    # A cursor holding the next row's key (ninja's `pk >= next`) would jump to `after`.
    assert _ids(first) == [seen.pk]
    assert _ids(second) == [draft.pk]
    assert _ids(client.get(second["next"]).json()) == [after.pk]


def test_an_object_catalogued_against_a_filtered_maker_between_two_requests_is_listed(client):
    maker = MakerFactory()
    first_made = CollectionObjectFactory(makers=[maker])
    in_between = [CollectionObjectFactory() for _ in range(5)]
    next_made = CollectionObjectFactory(makers=[maker])

    url = f"{OBJECTS}?maker={maker.slug}&page_size=1"
    first = client.get(url).json()
    ObjectMaker.objects.create(object=in_between[2], maker=maker)
    second = client.get(first["next"]).json()

    assert _ids(first) == [first_made.pk]
    assert _ids(second) == [in_between[2].pk]
    assert _ids(client.get(second["next"]).json()) == [next_made.pk]


def _ninja_cursor(query: bytes) -> str:
    return base64.b64encode(query).decode()


@pytest.mark.parametrize(
    "cursor",
    # Cursors in ninja's format (base64 of a query string) that were 500s there.
    [
        _ninja_cursor(b"p=abc"),
        _ninja_cursor(b"p=%00"),
        _ninja_cursor(b"o=abc"),
        _ninja_cursor(b"o=100"),
        _ninja_cursor(b"r=maybe"),
        # Ours, but past the largest key (2**63 - 1) or with its spare bits set.
        base64.urlsafe_b64encode((2**63).to_bytes(8, "big")).decode().rstrip("="),
        "AAAAAAAAAAB",
    ],
)
def test_a_crafted_cursor_is_a_400_naming_the_cursor(client, cursor):
    CollectionObjectFactory()

    response = client.get(OBJECTS, {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]
