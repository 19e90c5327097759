"""How PostgreSQL answers the database backend's searches: the plans that keep
them fast at a million records (docs/performance.md), checked on a few rows
with sequential scans ruled out, so the planner shows the index it would use."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import backends
from search.results import SearchRequest
from tests.factories.objects import CollectionObjectFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): it reads PostgreSQL's "
        "query plans for the search index",
    ),
]


def plan_of_the_match_pass(request: SearchRequest) -> str:
    """EXPLAIN of the query that reads the matches (the one with the CTE)."""
    with CaptureQueriesContext(connection) as captured:
        backends.search(request)
    (sql,) = [query["sql"] for query in captured if query["sql"].startswith("WITH m AS")]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_words_and_a_facet_are_intersected_in_one_index_scan(index):
    index(
        CollectionObjectFactory(title="Bridge at dusk", date_earliest=1805),
        CollectionObjectFactory(title="Bridge at dawn", date_earliest=1950),
        CollectionObjectFactory(title="Harbour", date_earliest=1801),
    )
    request = SearchRequest(query="bridge", filters={"decade": "1800"})
    assert [hit.title for hit in backends.search(request).hits] == ["Bridge at dusk"]

    plan = plan_of_the_match_pass(request)

    assert "BitmapAnd" not in plan
    assert plan.count("Index Scan on search_entry_match") == 1
