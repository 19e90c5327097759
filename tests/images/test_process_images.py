"""`manage.py process_images`, run in-process (no broker in the test settings)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from images.models import ArchiveImage, ArchiveRendition
from images.renditions import all_derivatives
from tests.factories.images import ArchiveImageFactory
from tests.images import files

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("process_images", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def damaged_image():
    image = ArchiveImageFactory(processing_status="failed", processing_error="old reason")
    image.file.save("damaged.jpg", ContentFile(files.truncated_jpeg()), save=False)
    ArchiveImage.objects.filter(pk=image.pk).update(file=image.file.name)
    return image


def test_rebuilding_everything_reports_done_and_failed_with_a_progress_bar():
    good = ArchiveImageFactory.create_batch(2)
    bad = damaged_image()

    out, err = run()

    assert "Done 2, failed 1, remaining 0." in out
    assert "process_images --failed" in out
    assert "3/3" in err and "failed=1" in err and "remaining=0" in err
    assert {ArchiveImage.objects.get(pk=i.pk).processing_status for i in good} == {"ready"}
    bad_status = ArchiveImage.objects.filter(pk=bad.pk).values_list("processing_error", flat=True)
    assert "truncated or damaged" in bad_status.get()
    assert ArchiveRendition.objects.count() == 2 * len(all_derivatives())


def test_failed_only_retries_just_the_failures():
    ready = ArchiveImageFactory(processing_status="ready")
    retried = ArchiveImageFactory(processing_status="failed", processing_error="worker lost")

    out, _ = run("--failed")

    assert "Done 1, failed 0, remaining 0." in out
    assert ArchiveImage.objects.get(pk=retried.pk).processing_status == "ready"
    assert not ArchiveRendition.objects.filter(image=ready).exists()


def test_ids_limits_the_run():
    chosen, other = ArchiveImageFactory.create_batch(2)

    out, _ = run("--ids", str(chosen.pk))

    assert "Done 1, failed 0, remaining 0." in out
    assert ArchiveImage.objects.get(pk=other.pk).processing_status == "pending"


def test_nothing_to_do_is_said_plainly():
    out, _ = run("--failed")

    assert out.strip() == "No images to process."
