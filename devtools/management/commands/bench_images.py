"""Image pipeline speed, side by side with pyvips in the same run.

    manage.py bench_images [--repeat 3]

1. Derivatives per second over the shared photographs (../shared/data/images),
   with 1 and 2 worker processes, for our Pillow pipeline and for pyvips.
2. Upload to "ready" for one generated 24-megapixel phone JPEG: the import
   service plus the processing job run in-process (no queue wait), inside a
   transaction that is rolled back, against pyvips making the same files.
3. Deep zoom on that scan: the tile pyramid job (images/tiles.py, Pillow) against
   the derivatives job for the same scan (the budget: at most 1.5x) and against
   libvips' `dzsave` writing the same IIIF 3 tiles.
"""

import logging
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from devtools.benchmarks import images as benchmark
from images.models import ArchiveImage
from images.services import archive_image_from_path
from images.tasks import build_tile_pyramid_task, process_archive_image_task

# libvips and the task runners narrate every step at INFO; the figures are what matter here.
for noisy in ("pyvips", "django_tasks", "celery.app.trace"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

SHARED_IMAGES = Path(settings.BASE_DIR).parent / "shared" / "data" / "images"
# The tile pyramid may take at most this many times the derivatives' time (issue 21).
TILES_BUDGET = 1.5
ACCEPTED_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the image pipeline against pyvips (derivatives/s, upload-to-ready)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Best of this many runs.")
        parser.add_argument("--images", type=Path, default=SHARED_IMAGES)

    def handle(self, *args, repeat, images, **options):
        try:
            import pyvips
        except (ImportError, OSError) as error:
            raise CommandError(f"pyvips is needed as the anchor: {error}") from error
        self.stdout.write(
            f"pyvips {pyvips.__version__}, libvips {pyvips.version(0)}."
            f"{pyvips.version(1)}; {len(benchmark.all_derivatives())} derivatives "
            "per image"
        )
        paths = sorted(str(p) for p in images.glob("*") if p.suffix.lower() in ACCEPTED_SUFFIXES)
        if paths:
            self._throughput(paths, repeat)
        else:
            self.stdout.write(f"No shared photographs in {images}: throughput skipped.")
        self._upload_to_ready(repeat)

    def _throughput(self, paths, repeat):
        self.stdout.write(f"\nShared photographs: {len(paths)} files")
        self.stdout.write(f"{'processes':>9} {'pillow d/s':>11} {'pyvips d/s':>11} {'ratio':>6}")
        for processes in (1, 2):
            ours = self._best(benchmark.pillow_derivatives, paths, processes, repeat)
            anchor = self._best(benchmark.pyvips_derivatives, paths, processes, repeat)
            self.stdout.write(
                f"{processes:>9} {ours.per_second:>11.1f} {anchor.per_second:>11.1f} "
                f"{ours.per_second / anchor.per_second:>5.2f}x"
            )

    def _best(self, worker, paths, processes, repeat):
        runs = [benchmark.time_files(worker, paths, processes=processes) for _ in range(repeat)]
        return max(runs, key=lambda run: run.per_second)

    def _upload_to_ready(self, repeat):
        with tempfile.TemporaryDirectory(prefix="bac-bench-") as folder:
            photo = benchmark.write_phone_photo(Path(folder) / "phone-24mp.jpg")
            size_mb = photo.stat().st_size / 1e6
            with override_settings(
                MEDIA_ROOT=str(Path(folder) / "media"),
                PRIVATE_MEDIA_ROOT=str(Path(folder) / "private_media"),
            ):
                runs = [self._time_scan(photo) for _ in range(repeat)]
            anchor = min(self._time_pyvips(photo) for _ in range(repeat))
            # Like for like, alternating so both meet the same load.
            pillow_tiles, vips_tiles = (
                min(times)
                for times in zip(
                    *(
                        (
                            benchmark.time_pillow_pyramid(photo, Path(folder) / f"pil{n}"),
                            benchmark.time_pyvips_pyramid(photo, Path(folder) / f"dz{n}"),
                        )
                        for n in range(repeat)
                    ),
                    strict=True,
                )
            )
        ours, derivatives, tiles = (min(run[i] for run in runs) for i in range(3))
        self.stdout.write(f"\n24-megapixel JPEG (6000x4000, {size_mb:.1f} MB), upload to ready:")
        self.stdout.write(
            f"  pillow pipeline {ours:.2f}s   pyvips {anchor:.2f}s   ratio {anchor / ours:.2f}x"
        )
        verdict = "within" if tiles <= TILES_BUDGET * derivatives else "OVER"
        self.stdout.write("Deep zoom, the same scan (jobs run in-process, best of each):")
        self.stdout.write(
            f"  derivatives job {derivatives:.2f}s   tile pyramid job {tiles:.2f}s   "
            f"ratio {tiles / derivatives:.2f}x ({verdict} the {TILES_BUDGET}x budget)"
        )
        self.stdout.write(
            f"  pyramid alone: pillow {pillow_tiles:.2f}s   pyvips dzsave {vips_tiles:.2f}s   "
            f"ratio {vips_tiles / pillow_tiles:.2f}x"
        )

    def _time_scan(self, photo: Path) -> tuple[float, float, float]:
        """(upload to ready, the derivatives job alone, the tile pyramid job) in seconds."""
        try:
            with transaction.atomic():
                started = time.perf_counter()
                image = archive_image_from_path(path=photo, title="Benchmark photo")
                processing = time.perf_counter()
                status = process_archive_image_task.apply(args=[image.pk]).get()
                ready = time.perf_counter()
                if status != ArchiveImage.ProcessingStatus.READY:
                    raise CommandError(f"The benchmark photo did not process: {status}")
                outcome = build_tile_pyramid_task.apply(args=[image.pk]).get()
                tiled = time.perf_counter()
                if outcome != "built":
                    raise CommandError(f"The benchmark photo's tiles were not built: {outcome}")
                raise Rollback
        except Rollback:
            return ready - started, ready - processing, tiled - ready

    def _time_pyvips(self, photo: Path) -> float:
        started = time.perf_counter()
        benchmark.pyvips_derivatives(str(photo))
        return time.perf_counter() - started
