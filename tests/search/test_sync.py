"""Which objects are queued for reindexing, and when."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction

from objects.models import CollectionObject
from search.models import SearchEntry
from search.sync import enqueue_index_update
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    ProductionFactory,
    SubjectFactory,
)

from .conftest import OBJECTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """The (model_label, pks) of every update task sent."""
    with mock.patch("search.tasks.update_index_task.delay") as delay:
        calls = []
        delay.side_effect = lambda label, pks: calls.append((label, sorted(pks)))
        yield calls


def test_nothing_is_queued_until_the_transaction_commits(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        obj = CollectionObjectFactory()

    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [(OBJECTS, [obj.pk])]


def test_one_task_per_transaction_however_many_signals(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = CollectionObjectFactory(makers=[MakerFactory()])
        ObjectImageFactory(object=first)
        second = CollectionObjectFactory()

    assert queued == [(OBJECTS, sorted([first.pk, second.pk]))]


def test_a_rolled_back_transaction_queues_nothing(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            CollectionObjectFactory()
            raise RuntimeError("abandon")
        kept = CollectionObjectFactory()

    assert queued == [(OBJECTS, [kept.pk])]


def test_large_batches_are_split_into_tasks(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_index_update(OBJECTS, range(1, 1201))

    assert [len(pks) for _label, pks in queued] == [500, 500, 200]


def test_fixture_loads_are_skipped(queued, tmp_path, django_capture_on_commit_callbacks):
    obj = CollectionObjectFactory()
    fixture = tmp_path / "objects.json"
    call_command("dumpdata", "objects.collectionobject", output=str(fixture))
    queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", str(fixture), verbosity=0)

    assert obj.pk not in {pk for _label, pks in queued for pk in pks}


def test_renaming_a_maker_queues_the_maker(queued, django_capture_on_commit_callbacks):
    maker = MakerFactory(name="Old name")
    with django_capture_on_commit_callbacks(execute=True):
        maker.name = "New name"
        maker.save()

    assert queued == [("objects.Maker", [maker.pk])]


def test_deleting_a_production_queues_its_objects(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        show = ProductionFactory()
        objects = CollectionObjectFactory.create_batch(2, production=show)
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        show.delete()

    assert queued == [(OBJECTS, sorted(obj.pk for obj in objects))]


def test_linking_a_subject_queues_the_object(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = CollectionObjectFactory()
        subject = SubjectFactory()
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        subject.collection_objects.add(obj)

    assert queued == [(OBJECTS, [obj.pk])]


# End to end: the task really runs (eager Celery) and the index follows.


def publish(obj):
    obj.save_revision().publish()


def test_publishing_makes_an_object_searchable_and_unpublishing_removes_it(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = CollectionObjectFactory(title="Draft poster", live=False)
    assert not SearchEntry.objects.filter(record_id=draft.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)
    assert SearchEntry.objects.get(record_id=draft.pk).title == "Draft poster"

    with django_capture_on_commit_callbacks(execute=True):
        CollectionObject.objects.get(pk=draft.pk).unpublish()
    assert not SearchEntry.objects.filter(record_id=draft.pk).exists()


def test_a_renamed_maker_is_reindexed_on_its_objects(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        maker = MakerFactory(name="Anon")
        obj = CollectionObjectFactory(makers=[maker])
    with django_capture_on_commit_callbacks(execute=True):
        maker.name = "Jo Bloggs"
        maker.save()

    assert SearchEntry.objects.get(record_id=obj.pk).names == "Jo Bloggs"


def test_deleting_an_object_removes_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = CollectionObjectFactory()
    pk = obj.pk
    with django_capture_on_commit_callbacks(execute=True):
        obj.delete()

    assert not SearchEntry.objects.filter(record_id=pk).exists()
