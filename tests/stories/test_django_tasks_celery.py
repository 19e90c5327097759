"""Wagtail's background work goes through django-tasks to Celery, after commit."""

import pytest
from django.db import transaction
from wagtail.models import ReferenceIndex
from wagtail.tasks import update_reference_index_task

from bac_collection.django_tasks_celery import CeleryBackend, run_django_task
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory, object_block

pytestmark = pytest.mark.django_db

CELERY_TASKS = {"default": {"BACKEND": "bac_collection.django_tasks_celery.CeleryBackend"}}


@pytest.fixture
def celery_tasks(settings):
    settings.TASKS = CELERY_TASKS


def story_references(story):
    return ReferenceIndex.objects.filter(object_id=str(story.pk)).count()


def test_development_and_tests_run_wagtail_tasks_immediately():
    story = StoryPageFactory(body=[object_block(CollectionObjectFactory())])
    assert story_references(story) == 1


def test_production_sends_wagtail_tasks_to_celery_only_after_commit(
    celery_tasks, django_capture_on_commit_callbacks
):
    assert isinstance(update_reference_index_task.get_backend(), CeleryBackend)
    obj = CollectionObjectFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story = StoryPageFactory(body=[object_block(obj)])

    assert callbacks, "nothing was queued"
    assert story_references(story) == 0  # nothing ran inside the transaction

    for callback in callbacks:
        callback()  # the commit: Celery (eager here) runs the jobs

    assert story_references(story) == 1


def test_a_rolled_back_transaction_sends_nothing(celery_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                StoryPageFactory(body=[object_block(CollectionObjectFactory())])
                raise RuntimeError("editor's save failed")
        except RuntimeError:
            pass
    assert callbacks == []


def test_a_job_for_a_deleted_object_is_skipped(caplog):
    run_django_task(
        "wagtail.tasks.update_reference_index_task", ["stories", "storypage", "999999"], {}
    )
    assert "no longer exists" in caplog.text


def test_only_django_tasks_can_be_run():
    from django_tasks.exceptions import InvalidTaskError

    with pytest.raises(InvalidTaskError):
        run_django_task("os.system", ["true"], {})


def test_an_object_page_cached_before_the_worker_indexed_a_story_shows_it_after(
    celery_tasks, client, django_capture_on_commit_callbacks
):
    """The publish commits (and bumps the page cache) before a worker rewrites the
    reference index: a visit in between must not keep the object page without its
    "Featured in" story once the worker is done."""
    obj = CollectionObjectFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        StoryPageFactory(title="Told after the commit", body=[object_block(obj)])
    jobs = [callback for callback in callbacks if callback.__name__ == "send_to_celery"]
    assert jobs
    for callback in callbacks:
        if callback not in jobs:
            callback()  # the commit's own bumps of the page cache
    assert "Told after the commit" not in client.get(obj.get_absolute_url()).content.decode()

    for job in jobs:
        job()  # the worker's turn (Celery runs them at once in tests)

    assert "Told after the commit" in client.get(obj.get_absolute_url()).content.decode()
