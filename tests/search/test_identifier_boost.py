"""One identifier boost for both backends: the record numbered exactly as typed comes
first, even against a record with an image whose title is those very words."""

import pytest

from search.backends import database, engine, search
from search.backends.ranking import IDENTIFIER_BOOST
from search.results import SearchRequest
from search.services import search_index_rebuild
from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def numbered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wanted = CollectionObjectFactory(
            title="Letter to the council", accession_number="BAC-1987-004"
        )
        rival = CollectionObjectFactory(
            title="BAC 1987 004",
            accession_number="P-0009",
            description="<p>Catalogued beside BAC-1987-004; see BAC 1987 004.</p>",
        )
        ObjectImageFactory(object=rival)
    return wanted


def _first(query: str) -> int:
    return search(SearchRequest(query=query, filters={"kind": "objects"})).hits[0].id


def test_the_database_puts_the_exact_identifier_first(numbered):
    assert _first("BAC-1987-004") == numbered.pk
    assert _first("bac-1987-004") == numbered.pk


@pytest.mark.search_engine
def test_the_engine_puts_the_exact_identifier_first(numbered, search_engine):
    search_index_rebuild()
    results = search(SearchRequest(query="BAC-1987-004", filters={"kind": "objects"}))
    assert results.backend == search_engine.name
    assert results.hits[0].id == numbered.pk


def test_one_value_for_both_backends():
    assert database.IDENTIFIER_BOOST is engine.IDENTIFIER_BOOST is IDENTIFIER_BOOST
