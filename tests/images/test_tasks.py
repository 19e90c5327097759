"""The processing task, run in-process (CELERY_TASK_ALWAYS_EAGER in test settings)."""

from unittest import mock

import pytest
from django.core.files.base import ContentFile
from wagtail.images.models import Filter

from bac_collection.celery import app as celery_app
from images.models import ArchiveImage, ArchiveRendition
from images.renditions import all_derivatives
from images.tasks import process_archive_image_task
from tests.factories.images import ArchiveImageFactory
from tests.images import files

pytestmark = pytest.mark.django_db


def stored_rendition_files(media_root):
    return sorted(p.name for p in (media_root / "images").iterdir())


def test_running_the_task_twice_gives_the_same_renditions_and_files(media_root):
    image = ArchiveImageFactory()

    process_archive_image_task.delay(image.pk)
    first = dict(ArchiveRendition.objects.values_list("filter_spec", "file"))
    process_archive_image_task.delay(image.pk)

    assert dict(ArchiveRendition.objects.values_list("filter_spec", "file")) == first
    assert len(first) == len(all_derivatives())
    assert len(stored_rendition_files(media_root)) == len(all_derivatives())


def test_a_new_image_is_queued_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        image = ArchiveImageFactory()
        assert ArchiveImage.objects.get(pk=image.pk).processing_status == "pending"
        assert not ArchiveRendition.objects.exists()

    image.refresh_from_db()
    assert image.processing_status == "ready"
    assert image.processed_at is not None


def test_moving_the_focal_point_regenerates_the_crop(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = ArchiveImageFactory(file__width=1600, file__height=900)

    with django_capture_on_commit_callbacks(execute=True):
        image.focal_point_x, image.focal_point_y = 1500, 450
        image.focal_point_width = image.focal_point_height = 100
        image.save()

    crop = ArchiveRendition.objects.get(filter_spec__startswith="fill-")
    assert crop.focal_point_key == Filter(crop.filter_spec).get_cache_key(image) != ""
    assert image.find_existing_renditions(Filter(crop.filter_spec))


def test_a_corrupt_original_marks_the_image_failed_with_a_reason():
    # Bypass upload validation, as a file damaged in storage would.
    image = ArchiveImageFactory()
    image.file.save("damaged.jpg", ContentFile(files.truncated_jpeg()), save=False)
    ArchiveImage.objects.filter(pk=image.pk).update(file=image.file.name)

    result = process_archive_image_task.delay(image.pk)

    image.refresh_from_db(fields=["processing_status", "processing_error"])
    assert result.get() == "failed"
    assert image.processing_status == "failed"
    assert "truncated or damaged" in image.processing_error
    assert not ArchiveRendition.objects.exists()


def test_a_missing_original_marks_the_image_failed():
    image = ArchiveImageFactory()
    image.file.storage.delete(image.file.name)

    process_archive_image_task.delay(image.pk)

    image.refresh_from_db(fields=["processing_status", "processing_error"])
    assert image.processing_status == "failed"
    assert image.processing_error == "The original file is missing from storage."


@pytest.fixture
def eager_retries():
    """In-process runs retry only when errors are not propagated straight away."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


def test_a_transient_storage_error_is_retried(eager_retries):
    image = ArchiveImageFactory()
    storage = ArchiveRendition._meta.get_field("file").storage
    real_save = storage.save
    calls = {"n": 0}

    def flaky_save(name, content, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionResetError("storage went away")
        return real_save(name, content, **kwargs)

    with mock.patch.object(storage, "save", side_effect=flaky_save):
        result = process_archive_image_task.delay(image.pk)

    assert result.get() == "ready"

    image.refresh_from_db()
    assert image.processing_status == "ready"
    assert ArchiveRendition.objects.count() == len(all_derivatives())


def test_an_error_that_persists_through_every_retry_is_recorded_as_failure(eager_retries):
    image = ArchiveImageFactory()
    storage = ArchiveRendition._meta.get_field("file").storage

    with mock.patch.object(
        storage, "save", side_effect=TimeoutError("storage timed out")
    ) as failing_save:
        result = process_archive_image_task.delay(image.pk)

    assert result.failed()
    assert failing_save.call_count == 1 + process_archive_image_task.max_retries

    image.refresh_from_db()
    assert image.processing_status == "failed"
    assert "repeated errors" in image.processing_error
    assert "storage timed out" in image.processing_error


def test_a_deleted_image_is_skipped():
    image = ArchiveImageFactory()
    image_id = image.pk
    image.delete()

    assert process_archive_image_task.delay(image_id).get() is None
