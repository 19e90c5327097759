"""python manage.py bench_opendata [--requests 50]

Times the open-data outputs against the objects `bench_collection` loaded
(run that first; `make bench` does), and prints:

- p50/p95 server time and query count for the API's object list at the first
  page and at cursor depth 5,000 (20 a page), filtered lists, object detail,
  and IIIF manifests;
- the full bulk dump's time, total size and peak resident memory (run in a
  child process, written to a temporary folder, so the live dump is untouched).

It attaches one small processed image to a few hundred objects so manifests
and the has_image filter have something to serve (once; marked as its own).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from PIL import Image

from api.cursors import cursor_encode
from devtools.benchmarks.pages import time_pages
from images.models import ArchiveImage
from images.services import archive_image_from_path, archive_image_process
from objects.models import CollectionObject, ObjectImage

BENCH_IMAGE_TITLE = "Benchmark image (bench_opendata)"
OBJECTS_WITH_IMAGES = 500
PAGE_SIZE = 20
DEPTH = 5_000


class Command(BaseCommand):
    help = "Time the open-data API, IIIF manifests and the bulk dump at collection scale."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50, help="Requests per endpoint.")
        parser.add_argument("--skip-dump", action="store_true", help="Time the endpoints only.")

    def handle(self, *args, requests, skip_dump=False, **options):
        total = CollectionObject.objects.filter(live=True).count()
        if total < PAGE_SIZE * 2:
            raise CommandError("Load a collection first: python manage.py bench_collection")
        # The benchmark client is one address: lift the anonymous limit for it.
        settings.API_ANON_RATE = "100000000/m"
        with_images = self._attach_images()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"Database: {connection.vendor}, {total:,} published objects.")
        self._time_endpoints(total, with_images, requests)
        if not skip_dump:
            self._time_dump()

    def _attach_images(self) -> list[str]:
        image = ArchiveImage.objects.filter(title=BENCH_IMAGE_TITLE).first()
        if image is None:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "bench.jpg"
                Image.new("RGB", (2400, 1600), (120, 40, 40)).save(path, quality=85)
                image = archive_image_from_path(path=path, title=BENCH_IMAGE_TITLE)
            archive_image_process(image_id=image.pk)
        if not ObjectImage.objects.filter(image=image).exists():
            step = max(1, CollectionObject.objects.count() // OBJECTS_WITH_IMAGES)
            pks = CollectionObject.objects.order_by("pk").values_list("pk", flat=True)[::step]
            ObjectImage.objects.bulk_create(
                ObjectImage(object_id=pk, image=image, sort_order=0, alt_text="Benchmark")
                for pk in pks[:OBJECTS_WITH_IMAGES]
            )
        return list(
            CollectionObject.objects.filter(live=True, object_images__image=image)
            .order_by("?")
            .values_list("slug", flat=True)[:100]
        )

    def _time_endpoints(self, total: int, with_images: list[str], requests: int) -> None:
        live = CollectionObject.objects.filter(live=True).order_by("pk")
        depth = min(DEPTH, total // PAGE_SIZE - 1)
        after = live.values_list("pk", flat=True)[depth * PAGE_SIZE - 1]
        deep_cursor = cursor_encode(after_pk=after)
        slugs = list(live.order_by("?").values_list("slug", flat=True)[:requests])
        paintings_cursor = cursor_encode(after_pk=after // 2)
        lists = "/api/v1/objects/"
        endpoints = {
            "API list, first page": [f"{lists}?page_size={PAGE_SIZE}"] * requests,
            f"API list, cursor depth {depth:,}": [
                f"{lists}?page_size={PAGE_SIZE}&cursor={deep_cursor}"
            ]
            * requests,
            "API list, type=painting, deep": [
                f"{lists}?type=painting&page_size={PAGE_SIZE}&cursor={paintings_cursor}"
            ]
            * requests,
            "API list, has_image=true": [f"{lists}?has_image=true&page_size={PAGE_SIZE}"]
            * requests,
            "API list, 100 a page": [f"{lists}?page_size=100"] * requests,
            "API object detail": [f"{lists}{slug}" for slug in slugs],
            "IIIF manifest": [
                f"/iiif/objects/{slug}/manifest.json"
                for slug in (with_images * requests)[:requests]
            ],
            "JSON-LD (schema.org)": [f"/collection/objects/{slug}.jsonld" for slug in slugs],
        }
        time_pages(self.stdout, endpoints, label="endpoint")

    def _time_dump(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            # DEBUG off, as in production (with it on, Django keeps every query's SQL).
            env = {**os.environ, "OPENDATA_DUMP_DIR": folder, "DEBUG": "false"}
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "opendata_dump"],
                cwd=settings.BASE_DIR,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seconds = time.perf_counter() - started
            # ru_maxrss is in kilobytes on Linux: the largest child so far, i.e. the dump.
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            size = sum(p.stat().st_size for p in Path(folder).rglob("*.gz"))
        self.stdout.write(
            f"Bulk dump: {seconds:.1f} s, {size / 1_000_000:.1f} MB gzipped, "
            f"peak RSS {peak_mb:.0f} MB (including Django start-up)."
        )
