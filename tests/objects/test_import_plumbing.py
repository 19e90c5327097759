"""The importer's fast paths behave like the plain ones they replace."""

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from objects.importing.inserts import append_rows, insert_rows
from objects.importing.read_ahead import read_ahead
from objects.importing.read_process import read_ahead_in_process
from objects.models import CollectionObject, Maker, ObjectMaker
from objects.services import collection_import
from tests.factories.objects import CollectionObjectFactory, MakerFactory

# In a thread, or in a forked process (the importer's).
readers = pytest.mark.parametrize("reader", [read_ahead, read_ahead_in_process])


@readers
def test_read_ahead_yields_everything_in_order(reader):
    assert list(reader(range(10), depth=2)) == list(range(10))


@readers
def test_read_ahead_raises_the_producers_error_where_it_happened(reader):
    def items():
        yield 1
        raise ValueError("line 2 is broken")

    seen = []
    with pytest.raises(ValueError, match="line 2 is broken"):
        for item in reader(items()):
            seen.append(item)
    assert seen == [1]


def test_read_ahead_stops_its_thread_when_the_consumer_stops():
    produced = []

    def items():
        for n in range(1000):
            produced.append(n)
            yield n

    for item in read_ahead(items(), depth=1):
        if item == 2:
            break
    assert len(produced) < 10
    assert not [t for t in threading.enumerate() if t.name == "import-read-ahead"]


@pytest.mark.django_db
def test_any_lookup_matches_in_on_plain_and_related_fields():
    objects = CollectionObjectFactory.create_batch(3)
    maker = MakerFactory()
    ObjectMaker.objects.create(object=objects[1], maker=maker)
    numbers = [objects[0].accession_number, objects[2].accession_number, "absent"]

    assert set(CollectionObject.objects.filter(accession_number__any=numbers)) == {
        objects[0],
        objects[2],
    }
    assert list(ObjectMaker.objects.filter(object_id__any=[objects[1].pk])) == list(
        ObjectMaker.objects.filter(object_id__in=[objects[1].pk])
    )
    assert not CollectionObject.objects.filter(pk__any=[]).exists()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
            max_size=40,
        ),
        min_size=1,
        max_size=8,
        unique=True,
    )
)
def test_any_lookup_finds_any_text_as_in_does(names):
    """Quotes, backslashes, commas, braces, blanks and the word NULL are plain text."""
    makers = [Maker.objects.create(name=name, slug=f"m-{i}") for i, name in enumerate(names)]
    wanted = [maker.name for maker in makers[::2]] + ["NULL", '"', "\\", "{}", ","]

    found = Maker.objects.filter(name__any=wanted).order_by("pk")

    assert list(found) == list(Maker.objects.filter(name__in=wanted).order_by("pk"))
    assert set(makers[::2]) <= set(found)
    Maker.objects.all().delete()


@pytest.mark.django_db
def test_insert_rows_returns_the_new_ids_in_order():
    maker = MakerFactory()
    objects = CollectionObjectFactory.create_batch(2)

    ids = insert_rows(
        ObjectMaker,
        [{"object_id": obj.pk, "maker_id": maker.pk, "role": "artist"} for obj in objects],
    )

    assert [ObjectMaker.objects.get(pk=pk).object_id for pk in ids] == [o.pk for o in objects]


@pytest.mark.django_db
def test_append_rows_numbers_rows_as_the_table_does():
    maker = MakerFactory()
    objects = CollectionObjectFactory.create_batch(3)
    first = ObjectMaker.objects.create(object=objects[0], maker=maker, role="first")

    append_rows(
        ObjectMaker,
        [{"object_id": obj.pk, "maker_id": maker.pk, "role": "artist"} for obj in objects[1:]],
    )
    last = insert_rows(ObjectMaker, [{"object_id": objects[0].pk, "maker_id": maker.pk}])

    rows = list(ObjectMaker.objects.order_by("pk").values_list("pk", "object_id", "role"))
    assert [row[1:] for row in rows] == [
        (objects[0].pk, "first"),
        (objects[1].pk, "artist"),
        (objects[2].pk, "artist"),
        (objects[0].pk, ""),
    ]
    assert rows[0][0] == first.pk and rows[-1][0] == last[0]


@pytest.mark.django_db
def test_an_object_stored_while_the_import_runs_is_updated_not_duplicated(tmp_path):
    """The importer looks up which accession numbers exist once, as it
    starts; one stored by someone else after that is still found."""
    path = tmp_path / "import.csv"
    path.write_text(
        "accession_number,title\nBAC-0001,Programme for Hamlet\nBAC-0002,Ticket stub\n",
        encoding="utf-8",
    )

    def someone_else_stores_one(_total_rows):
        CollectionObjectFactory(accession_number="BAC-0001", title="Programme")

    result = collection_import(path=path, on_start=someone_else_stores_one, announce=False)

    assert (result.created, result.updated, result.errors) == (1, 1, [])
    assert CollectionObject.objects.get(accession_number="BAC-0001").title == "Programme for Hamlet"
    assert CollectionObject.objects.count() == 2
