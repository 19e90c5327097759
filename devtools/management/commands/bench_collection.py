"""python manage.py bench_collection [--objects 100000] [--requests 50] [--force]

Loads the Tate file into the configured database, tops it up with derived
rows (distinct accession numbers) to the requested size, and prints:

- the import rate of the Tate file (rows/s, no images);
- p50/p95 server time and the query count for the object page, browse
  pages 1 and 500, and a production page of a few hundred objects.

It replaces all collection data in the database, so it refuses to run on a
database holding anything but its own earlier benchmark unless --force.
Search indexing is left to `search_index rebuild`: in production it runs in
Celery workers, not inside the import.
"""

import csv
import random
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse

from devtools.benchmarks.pages import BENCH_PRODUCTION_TITLE, time_pages
from objects.importing.rows import COLUMNS
from objects.importing.source import ImportSource
from objects.models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    Place,
    Production,
    Subject,
)
from objects.services import collection_import

TATE_FILE = Path(settings.BASE_DIR).parent / "shared" / "data" / "tate" / "artwork_data.csv"
PRODUCTION_SIZE = 300


class Command(BaseCommand):
    help = "Load up to 100,000 objects and time the import and the public pages."

    def add_arguments(self, parser):
        parser.add_argument("--objects", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=50, help="Requests per page.")
        parser.add_argument("--tate-file", type=Path, default=TATE_FILE)
        parser.add_argument(
            "--skip-load",
            action="store_true",
            help="Time the pages against the objects an earlier run loaded.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even if the database holds other collection data, which is DELETED.",
        )

    def handle(self, *args, **options):
        marker = Production._default_manager.filter(title=BENCH_PRODUCTION_TITLE).first()
        if CollectionObject.objects.exists() and marker is None and not options["force"]:
            raise CommandError(
                "This database holds collection objects that bench_collection did not load. "
                "It would delete them: point DATABASE_URL at a benchmark database, or pass "
                "--force if you really mean it."
            )
        if options["skip_load"]:
            if marker is None:
                raise CommandError("Nothing to reuse: run without --skip-load first.")
        else:
            if not options["tate_file"].is_file():
                raise CommandError(f"The Tate file is not at {options['tate_file']}.")
            self._load(options["tate_file"], options["objects"])
            marker = self._make_production()
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum gives a live site after a bulk load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Database: {connection.vendor}, {CollectionObject.objects.count():,} objects."
        )
        self._time_pages(marker, options["requests"])

    def _load(self, tate_file: Path, total: int) -> None:
        self.stdout.write("Clearing collection data...")
        _clear_collection()
        result = collection_import(path=tate_file, file_format="tate", announce=False)
        self.stdout.write(
            f"Tate import: {result.created:,} objects from {result.rows_read:,} rows in "
            f"{result.seconds:.1f} s = {result.rows_per_second:,.0f} rows/s "
            f"(rejected: {result.rows_with_errors})."
        )
        missing = total - result.created
        if missing <= 0:
            return
        with tempfile.TemporaryDirectory() as folder:
            derived = Path(folder) / "derived.csv"
            _write_derived_rows(tate_file, derived, missing)
            result = collection_import(path=derived, announce=False)
        self.stdout.write(
            f"Derived rows: {result.created:,} more objects in {result.seconds:.1f} s = "
            f"{result.rows_per_second:,.0f} rows/s."
        )

    def _make_production(self) -> Production:
        production = Production(title=BENCH_PRODUCTION_TITLE, date_display="2024")
        production.save()
        pks = list(
            CollectionObject.objects.order_by("pk").values_list("pk", flat=True)[:PRODUCTION_SIZE]
        )
        CollectionObject.objects.filter(pk__in=pks).update(production=production)
        return production

    def _time_pages(self, production: Production, requests: int) -> None:
        slugs = list(
            CollectionObject.objects.filter(live=True)
            .order_by("?")
            .values_list("slug", flat=True)[:requests]
        )
        try:
            pages = {
                "object page": [reverse("objects:object", args=[slug]) for slug in slugs],
                "browse page 1": [reverse("objects:browse") + "?page=1"] * requests,
                "browse page 500": [reverse("objects:browse") + "?page=500"] * requests,
                f"production page ({PRODUCTION_SIZE} objects)": [
                    reverse("objects:production", args=[production.slug])
                ]
                * requests,
            }
        except NoReverseMatch as error:
            raise CommandError(f"The public pages are not wired up yet: {error}")
        time_pages(self.stdout, pages)


def _clear_collection() -> None:
    """Empty the collection tables quickly (TRUNCATE on PostgreSQL)."""
    models = [
        ObjectImage,
        ObjectMaker,
        CollectionObject.subjects.through,
        CollectionObject.places.through,
        CollectionObject,
        Maker,
        Production,
        Subject,
        Place,
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            with connection.cursor() as cursor:
                # Deferred foreign key checks still pending would block TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in models:
                model._default_manager.all().delete()


def _write_derived_rows(tate_file: Path, target: Path, count: int) -> None:
    """`count` canonical rows built from Tate's, each with a new accession number."""
    source = ImportSource(tate_file, "tate")
    rows = [row.values for row in source.rows() if not row.problems]
    rng = random.Random(100_000)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for n in range(count):
            row = dict(rng.choice(rows))
            row["accession_number"] = f"BENCH-{n:06d}"
            row["credit_line"] = row["credit_line"][:500]
            writer.writerow(row)
