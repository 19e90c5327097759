"""A load that at least doubles the objects table builds its listing indexes after the
rows (objects/importing/bulk_load.py): the same rows as batch by batch, the indexes
always back as they were, even when the load fails."""

import psycopg
import pytest
from django.db import connection

from foundation.signals import records_changed
from objects.importing import bulk_load
from objects.models import CollectionObject, ObjectMaker

from .importing import row, run_import, write_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): a bulk load drops and "
        "rebuilds PostgreSQL's indexes and keys; SQLite imports row by row",
    ),
]

LISTING_INDEX = "object_live_image_title"
# A key the load drops and adds back, and one to another app's table it keeps.
# As PostgreSQL spells them: Django's keys are all deferred to commit.
DEFERRED = " DEFERRABLE INITIALLY DEFERRED"
MAKER_KEY = (
    "objects_objectmaker",
    "FOREIGN KEY (maker_id) REFERENCES objects_maker(id)" + DEFERRED,
)
USER_KEY = (
    "objects_collectionobject",
    "FOREIGN KEY (locked_by_id) REFERENCES auth_user(id)" + DEFERRED,
)


def index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [CollectionObject._meta.db_table],
        )
        return dict(cursor.fetchall())


def rows(first: int, count: int, **values) -> list[dict]:
    return [
        row(n, makers=f"Maker {n % 3} (designer)", date_display=str(1950 + n % 60), **values)
        for n in range(first, first + count)
    ]


def foreign_keys() -> set[tuple[str, str]]:
    """(table, definition) of each foreign key on the collection's tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND conrelid::regclass::text LIKE 'objects_%%'
            """
        )
        return set(cursor.fetchall())


@pytest.fixture
def keys_seen_while_writing():
    seen: list[set[tuple[str, str]]] = []

    def listener(sender, pks, **kwargs):
        seen.append(foreign_keys())

    records_changed.connect(listener)
    yield seen
    records_changed.disconnect(listener)


@pytest.fixture
def indexes_seen_while_writing():
    """The objects table's index names as each written batch is announced."""
    seen: list[set[str]] = []

    def listener(sender, pks, **kwargs):
        seen.append(set(index_definitions()))

    records_changed.connect(listener)
    yield seen
    records_changed.disconnect(listener)


def test_a_load_into_an_empty_table_builds_the_indexes_afterwards(
    tmp_path, indexes_seen_while_writing
):
    before = index_definitions()
    path = write_csv(tmp_path, rows(0, bulk_load.BULK_LOAD_MIN_ROWS + 200))

    output, errors = run_import(path, "--batch-size", "500")

    assert errors is None
    assert "1,200 created" in output
    assert index_definitions() == before
    # Written without the listing indexes, the unique ones kept throughout.
    assert len(indexes_seen_while_writing) == 3
    for names in indexes_seen_while_writing:
        assert LISTING_INDEX not in names
        assert "objects_collectionobject_slug_key" in names
    obj = CollectionObject.objects.get(accession_number="BAC-0007")
    assert (obj.slug, obj.title, obj.date_earliest, obj.live) == (
        "bac-0007-poster-7",
        "Poster 7",
        1957,
        True,
    )
    assert list(obj.object_makers.values_list("maker__name", "role")) == [("Maker 1", "designer")]
    assert ObjectMaker.objects.count() == 1200


def test_a_bulk_load_checks_the_collection_keys_once_at_the_end(tmp_path, keys_seen_while_writing):
    before = foreign_keys()
    assert {MAKER_KEY, USER_KEY} <= before
    path = write_csv(tmp_path, rows(0, bulk_load.BULK_LOAD_MIN_ROWS + 200))

    output, errors = run_import(path, "--batch-size", "500")

    assert "1,200 created" in output
    # Written without the keys among the collection's tables; other apps' kept.
    assert len(keys_seen_while_writing) == 3
    for keys in keys_seen_while_writing:
        assert MAKER_KEY not in keys
        assert USER_KEY in keys
    assert foreign_keys() == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
        )
        assert cursor.fetchone() == (0,)


def test_an_import_smaller_than_the_table_keeps_the_indexes(tmp_path, indexes_seen_while_writing):
    run_import(write_csv(tmp_path, rows(0, 1500), name="first.csv"))
    before = index_definitions()
    indexes_seen_while_writing.clear()

    output, errors = run_import(
        write_csv(tmp_path, rows(5000, 1200), name="second.csv"), "--batch-size", "500"
    )

    assert "1,200 created" in output
    assert [LISTING_INDEX in names for names in indexes_seen_while_writing] == [True] * 3
    assert index_definitions() == before
    # Same slugs either way: "name", then "name-2" for a repeat.
    assert CollectionObject.objects.get(accession_number="BAC-5000").slug == "bac-5000-poster-5000"


def test_a_failed_bulk_load_writes_nothing_and_restores_the_indexes(
    tmp_path, indexes_seen_while_writing
):
    before = index_definitions()
    (tmp_path / "broken.jpg").write_bytes(b"not a picture")
    good = rows(0, bulk_load.BULK_LOAD_MIN_ROWS + 200)
    # Found only when the third batch is written, after two went in without the indexes.
    good[-1]["images"] = "broken.jpg"
    path = write_csv(tmp_path, good)

    output, errors = run_import(path, "--strict", "--batch-size", "500")

    assert "nothing was written" in output
    # All three batches went in without the listing indexes before the abort.
    assert [LISTING_INDEX in names for names in indexes_seen_while_writing] == [False] * 3
    assert [e["line"] for e in errors] == [str(len(good) + 1)]
    assert not CollectionObject.objects.exists()
    assert index_definitions() == before
    assert MAKER_KEY in foreign_keys()


def test_a_load_waits_briefly_for_readers_then_keeps_the_indexes(
    tmp_path, monkeypatch, indexes_seen_while_writing
):
    """A reader holding the table (here another connection's open transaction) is not
    made to wait for the whole load: after LOCK_WAIT the rows go in with the indexes."""
    monkeypatch.setattr(bulk_load, "LOCK_WAIT", "200ms")
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as reader:
        reader.execute("SELECT count(*) FROM objects_collectionobject")  # holds a lock

        output, errors = run_import(write_csv(tmp_path, rows(0, bulk_load.BULK_LOAD_MIN_ROWS)))

    assert "1,000 created" in output
    assert all(LISTING_INDEX in names for names in indexes_seen_while_writing)
