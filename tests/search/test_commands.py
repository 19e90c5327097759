from io import StringIO

import pytest
from django.core.management import call_command

from search.models import SearchEntry, SearchTerm
from search.tasks import repair_index_drift_task
from tests.factories.objects import CollectionObjectFactory, MakerFactory

pytestmark = pytest.mark.django_db


def run(*args):
    """As from the shell: Django's system checks run first."""
    out = StringIO()
    call_command("search_index", *args, stdout=out, skip_checks=False)
    return out.getvalue()


def test_rebuild_indexes_every_live_object_and_the_vocabulary():
    live = CollectionObjectFactory.create_batch(3, makers=[MakerFactory(name="Ada Lovelace")])
    CollectionObjectFactory(live=False)

    output = run("rebuild", "--chunk-size", "2")

    assert "Indexed 3 records (3 objects)" in output
    assert set(SearchEntry.objects.values_list("record_id", flat=True)) == {obj.pk for obj in live}
    assert SearchTerm.objects.get(term="lovelace").document_count == 3


def test_rebuild_removes_entries_for_unpublished_objects(index):
    obj = CollectionObjectFactory()
    index(obj)
    type(obj).objects.filter(pk=obj.pk).update(live=False)  # a bulk write: no signals

    run("rebuild")

    assert not SearchEntry.objects.exists()


def test_check_reports_drift_and_exits_non_zero(index):
    missing, stale, kept = CollectionObjectFactory.create_batch(3)
    index(stale, kept)
    type(stale).objects.filter(pk=stale.pk).update(title="Changed", updated_at="2030-01-01T00:00Z")

    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("search_index", "check", stdout=out)

    assert exit_info.value.code == 1
    assert f"missing: 1 ({missing.pk})" in out.getvalue()
    assert f"stale: 1 ({stale.pk})" in out.getvalue()


def test_check_passes_when_in_sync(index):
    index(*CollectionObjectFactory.create_batch(2))

    assert "database (objects): in sync" in run("check")


def test_the_beat_task_repairs_drift(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        obj = CollectionObjectFactory(title="Forgotten")
    SearchEntry.objects.filter(record_id=obj.pk).delete()  # as if its index update were lost

    with django_capture_on_commit_callbacks(execute=True):
        found = repair_index_drift_task.run()

    assert found == {"database": 1}
    assert SearchEntry.objects.get(record_id=obj.pk).title == "Forgotten"
    assert "in sync" in run("check")
