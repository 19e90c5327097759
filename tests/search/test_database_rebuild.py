"""A full rebuild on PostgreSQL fills a fresh table and swaps it in for the live
one (search/database_rebuild.py): in a caller's transaction on its connection,
outside one on a connection of its own, beside the reading and building."""

import pytest
from django.db import connection

from objects.models import CollectionObject
from search import services
from search.backends import search
from search.database_rebuild import FRESH
from search.models import SearchEntry
from search.results import SearchRequest
from search.services import search_index_rebuild
from tests.factories.objects import CollectionObjectFactory, MakerFactory


@pytest.fixture(autouse=True)
def postgres_only():
    # Skipped from a fixture, as tests/worker.py does: a module-level skipif left
    # the transactional tests' serialized rows to be restored on SQLite, which
    # failed on the content types' unique constraint at the end of the run.
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://...): the fresh-table rebuild is "
            "PostgreSQL's; SQLite rebuilds in place"
        )


def live_table() -> tuple[int, set[tuple[str, str]]]:
    """The entries table's oid and its indexes (name, definition)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'search_searchentry'::regclass::oid")
        (oid,) = cursor.fetchone()
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [FRESH])
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_searchentry'"
        )
        return oid, set(cursor.fetchall())


def fresh_table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [FRESH])
        return cursor.fetchone()[0] is not None


def titles(query: str) -> list[str]:
    return [hit.title for hit in search(SearchRequest(query=query)).hits]


@pytest.mark.django_db
def test_a_rebuild_swaps_in_a_fresh_table_indexed_as_the_live_one(index):
    unchanged = CollectionObjectFactory(title="Lantern", makers=[MakerFactory(name="Ada Lovelace")])
    renamed_maker = MakerFactory(name="Charles Babbage")
    changed = CollectionObjectFactory(title="Engine", makers=[renamed_maker])
    index(unchanged, changed)
    oid, indexes = live_table()
    type(renamed_maker).objects.filter(pk=renamed_maker.pk).update(name="Mary Somerville")

    search_index_rebuild()

    new_oid, new_indexes = live_table()
    assert new_oid != oid
    assert new_indexes == indexes
    assert not fresh_table_exists()
    assert SearchEntry.objects.get(record_id=changed.pk).names == "Mary Somerville"
    assert titles("somerville") == ["Engine"]
    # The fresh table's identity goes on numbering incremental updates.
    index(CollectionObjectFactory(title="Lantern slide"))
    assert sorted(titles("lantern")) == ["Lantern", "Lantern slide"]


@pytest.mark.django_db
def test_a_failed_rebuild_leaves_the_live_table_serving(index, monkeypatch):
    objects = CollectionObjectFactory.create_batch(3, title="Lantern")
    index(*objects)
    oid, _indexes = live_table()
    built = services.indexed_documents

    def fails_on_the_second_chunk(kind, pks):
        if pks[0] != objects[0].pk:
            raise RuntimeError("the database went away")
        return built(kind, pks)

    monkeypatch.setattr(services, "indexed_documents", fails_on_the_second_chunk)

    with pytest.raises(RuntimeError, match="went away"):
        search_index_rebuild(chunk_size=1)

    assert live_table()[0] == oid
    assert not fresh_table_exists()
    assert len(titles("lantern")) == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_a_writer_thread_fills_the_fresh_table():
    """Its own connection, committing the swap; a record unpublished while the
    rebuild ran (after its chunk was read, by a write with no signal) is gone."""
    first, *others = CollectionObjectFactory.create_batch(4, title="Lantern")
    oid, indexes = live_table()

    def unpublish_the_first(_count):
        CollectionObject.objects.filter(pk=first.pk).update(live=False)

    report = search_index_rebuild(chunk_size=1, on_progress=unpublish_the_first)

    assert report.total == 4  # the first was read before it went
    new_oid, new_indexes = live_table()
    assert (new_oid != oid, new_indexes) == (True, indexes)
    assert sorted(SearchEntry.objects.values_list("record_id", flat=True)) == sorted(
        obj.pk for obj in others
    )
    assert len(titles("lantern")) == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_in_the_writer_thread_reaches_the_caller(monkeypatch):
    CollectionObjectFactory.create_batch(2, title="Lantern")
    search_index_rebuild()
    oid, _indexes = live_table()

    def refuses(*args, **kwargs):
        raise ValueError("COPY refused")

    monkeypatch.setattr("search.database_rebuild.load_entries", refuses)

    with pytest.raises(RuntimeError, match="fresh search table") as failure:
        search_index_rebuild(chunk_size=1)

    assert isinstance(failure.value.__cause__, ValueError)
    assert live_table()[0] == oid
    assert not fresh_table_exists()
    assert len(titles("lantern")) == 2
