"""Celery tasks for archive images; all routed to the `images` queue.

A task takes a primary key, re-reads the image and calls a service: running it
twice gives the same renditions (or tile pyramid) and no duplicates, so
acks_late redelivery after a worker dies is safe. The queueing is here beside
the tasks: the services never import this module.
"""

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import DatabaseError, transaction

from .deep_zoom import archive_image_build_tiles
from .services import archive_image_mark_failed, archive_image_process

# Storage and database hiccups are worth retrying; a bad file is not (the
# service records it as failed without raising).
TRANSIENT_ERRORS = (OSError, DatabaseError)


class ImageTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        _process_archive_image_task_failure(
            image_id=args[0] if args else kwargs["image_id"], exc=exc
        )


RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(base=ImageTask, name="images.tasks.process_archive_image_task", **RETRY_TRANSIENT)
def process_archive_image_task(image_id: int) -> str | None:
    image = archive_image_process(image_id=image_id)
    if image is None:
        return None
    if image.processing_status == image.ProcessingStatus.READY:
        # The tile pyramid is a job of its own: the derivatives the pages need are
        # ready now, whatever deep zoom takes.
        archive_image_queue_tiles(image_id=image.pk)
    return image.processing_status


def _process_archive_image_task_failure(*, image_id: int, exc: BaseException) -> None:
    archive_image_mark_failed(
        image_id=image_id,
        reason=f"Processing stopped after repeated errors: {type(exc).__name__}: {exc}",
    )


@shared_task(name="images.tasks.build_tile_pyramid_task", **RETRY_TRANSIENT)
def build_tile_pyramid_task(image_id: int) -> str:
    """The deep-zoom tiles of one image (images/deep_zoom.py). A failure leaves the
    image as it is: its pages and IIIF sizes never depend on the tiles."""
    return archive_image_build_tiles(image_id=image_id)


def archive_image_queue_processing(*, image_id: int) -> None:
    """Hand the image to a worker once the current transaction has committed.

    Robust: with the broker down the save still succeeds and the image waits as
    pending (retry it from the processing report; memories' sweep re-queues).
    """
    transaction.on_commit(lambda: process_archive_image_task.delay(image_id), robust=True)


def archive_image_queue_tiles(*, image_id: int) -> None:
    """Have a worker build (or bring up to date) the image's deep-zoom tile
    pyramid once the current transaction has committed (images/deep_zoom.py)."""
    transaction.on_commit(lambda: build_tile_pyramid_task.delay(image_id), robust=True)
