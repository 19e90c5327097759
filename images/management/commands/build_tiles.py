"""Queue the deep-zoom tile pyramid job for archive images (images/deep_zoom.py).

    manage.py build_tiles               every ready image (the up-to-date ones return at once)
    manage.py build_tiles --missing     only images with no pyramid yet (e.g. the archive
                                        as it was before deep zoom)
    manage.py build_tiles --ids 4 8 15  just these

With no broker configured the jobs run here, one after another, and their outcomes
are counted.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from images.models import ArchiveImage
from images.tasks import build_tile_pyramid_task


class Command(BaseCommand):
    help = "Queue the deep-zoom tile pyramid job for archive images."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--missing", action="store_true", help="Only images with no pyramid.")
        which.add_argument("--ids", nargs="+", type=int, help="Only these image ids.")

    def handle(self, *args, missing, ids, **options):
        images = ArchiveImage.objects.filter(
            processing_status=ArchiveImage.ProcessingStatus.READY
        ).order_by("pk")
        if missing:
            images = images.filter(tile_pyramid={})
        elif ids:
            images = images.filter(pk__in=ids)
        outcomes = Counter()
        for image_id in images.values_list("pk", flat=True).iterator():
            result = build_tile_pyramid_task.delay(image_id)
            # Eager (no broker): the outcome is known; otherwise the job is queued.
            outcomes[result.result if result.ready() else "queued"] += 1
        if not outcomes:
            self.stdout.write("No images to tile.")
        for outcome, count in sorted(outcomes.items()):
            self.stdout.write(f"{count} image(s): {outcome}")
