"""(Re)build the derivatives of archive images as Celery jobs, and watch them finish.

    manage.py process_images                 every image
    manage.py process_images --failed        retry the ones that failed
    manage.py process_images --pending       the ones never processed (e.g. queue lost)
    manage.py process_images --ids 4 8 15    just these
    manage.py process_images --no-wait       queue and exit

With no broker configured the jobs run here, one after another.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from images.models import ArchiveImage
from images.tasks import process_archive_image_task

Status = ArchiveImage.ProcessingStatus
POLL_SECONDS = 1.0


class Command(BaseCommand):
    help = "Queue archive images for (re)processing and show progress until they finish."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--failed", action="store_true", help="Only images that failed.")
        which.add_argument(
            "--pending", action="store_true", help="Only images waiting or stuck in processing."
        )
        which.add_argument("--ids", nargs="+", type=int, help="Only these image ids.")
        parser.add_argument("--no-wait", action="store_true", help="Queue the jobs and exit.")
        parser.add_argument(
            "--timeout", type=float, default=3600, help="Stop watching after this many seconds."
        )

    def handle(self, *args, failed, pending, ids, no_wait, timeout, **options):
        images = ArchiveImage.objects.order_by("pk")
        if failed:
            images = images.filter(processing_status=Status.FAILED)
        elif pending:
            images = images.filter(processing_status__in=[Status.PENDING, Status.PROCESSING])
        elif ids:
            images = images.filter(pk__in=ids)
        image_ids = list(images.values_list("pk", flat=True))
        if not image_ids:
            self.stdout.write("No images to process.")
            return
        started_at = timezone.now()
        eager = settings.CELERY_TASK_ALWAYS_EAGER
        with tqdm(total=len(image_ids), unit="image", file=self.stderr) as bar:
            self._queue(image_ids, eager=eager, bar=bar, started_at=started_at)
            if no_wait and not eager:
                self.stdout.write(f"Queued {len(image_ids)} image(s).")
                return
            done, failures = self._watch(image_ids, bar, started_at, timeout)
        remaining = len(image_ids) - done - failures
        self.stdout.write(f"Done {done}, failed {failures}, remaining {remaining}.")
        if failures:
            self.stdout.write("Retry failures with: manage.py process_images --failed")
        if remaining:
            raise CommandError(f"{remaining} image(s) still unfinished after {timeout:.0f}s.")

    def _queue(self, image_ids, *, eager, bar, started_at):
        # Failed images go back to pending; ready ones stay ready (and keep
        # serving their current renditions) while they are rebuilt.
        ArchiveImage.objects.filter(pk__in=image_ids, processing_status=Status.FAILED).update(
            processing_status=Status.PENDING, processing_error=""
        )
        for image_id in image_ids:
            try:
                process_archive_image_task.delay(image_id)
            except Exception as error:
                if not eager:
                    raise CommandError(f"Could not queue image {image_id}: {error}") from error
                # Run in-process: the task has already recorded the failure on the image.
            if eager:
                self._show(bar, *self._counts(image_ids, started_at))

    def _watch(self, image_ids, bar, started_at, timeout):
        deadline = time.monotonic() + timeout
        while True:
            done, failures = self._counts(image_ids, started_at)
            self._show(bar, done, failures)
            if done + failures >= len(image_ids) or time.monotonic() > deadline:
                return done, failures
            time.sleep(POLL_SECONDS)

    def _counts(self, image_ids, started_at):
        finished = ArchiveImage.objects.filter(pk__in=image_ids, processed_at__gte=started_at)
        done = finished.filter(processing_status=Status.READY).count()
        failures = finished.filter(processing_status=Status.FAILED).count()
        return done, failures

    def _show(self, bar, done, failures):
        bar.n = done + failures
        bar.set_postfix(done=done, failed=failures, remaining=bar.total - done - failures)
        bar.refresh()
