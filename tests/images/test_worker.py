"""The pipeline on a real Celery worker (Redis + PostgreSQL; skipped without them)."""

import io
import re

import pytest
from PIL import Image

from devtools.benchmarks import images as benchmark
from images.models import ArchiveImage
from images.renditions import all_derivatives
from images.services import archive_image_from_path
from tests.images import files
from tests.worker import wait_until

# The worker must see committed rows, so these tests commit for real. Rows that
# migrations created (root collection, site) are restored after the flush, so
# tests that run later still find them.
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def wait_for_status(image_id, statuses, *, timeout, interval=0.5):
    def status_reached():
        status = ArchiveImage.objects.get(pk=image_id).processing_status
        return status if status in statuses else None

    status = wait_until(status_reached, timeout=timeout, interval=interval)
    assert status, f"image {image_id} not {statuses} after {timeout}s"
    return status


def test_an_upload_is_made_into_derivatives_by_the_worker(celery_worker, tmp_path):
    path = tmp_path / "phone.jpg"
    path.write_bytes(files.jpeg_with_gps(3000, 2000, orientation=6))

    image = archive_image_from_path(path=path, title="Phone photo")

    assert wait_for_status(image.pk, {"ready", "failed"}, timeout=120) == "ready"
    renditions = ArchiveImage.objects.get(pk=image.pk).renditions.all()
    assert len(renditions) == len(all_derivatives())
    detail = next(r for r in renditions if r.filter_spec.startswith("max-2048x2048|format-jpeg"))
    with detail.file.open("rb") as f:
        opened = Image.open(io.BytesIO(f.read()))
    assert (opened.width, opened.height) == (1365, 2048)
    assert not opened.getexif()


def test_a_job_on_a_killed_worker_is_redelivered_and_completed_exactly_once(
    celery_worker, tmp_path, media_root
):
    # Big enough to take a few seconds, so the kill lands mid-job.
    photo = benchmark.write_phone_photo(tmp_path / "24mp.jpg")
    image = archive_image_from_path(path=photo, title="Large scan")
    wait_for_status(image.pk, {"processing"}, timeout=60, interval=0.02)

    celery_worker.kill()

    assert ArchiveImage.objects.get(pk=image.pk).processing_status == "processing"
    celery_worker.start()
    assert wait_for_status(image.pk, {"ready", "failed"}, timeout=240) == "ready"
    image = ArchiveImage.objects.get(pk=image.pk)
    specs = list(image.renditions.values_list("filter_spec", flat=True))
    assert sorted(specs) == sorted(d.filter_spec for d in all_derivatives())
    # No stray copies from the interrupted run: one file per rendition.
    assert len(list((media_root / "images").iterdir())) == len(specs)
    # The job marks the image ready and queues its tile pyramid before its success is
    # logged; on this one-process worker, the tiles are built only after that line.
    assert wait_until(lambda: ArchiveImage.objects.get(pk=image.pk).tile_pyramid, timeout=120)
    successes = re.findall(r"process_archive_image_task\[[^\]]+\] succeeded", celery_worker.log())
    assert len(successes) == 1
