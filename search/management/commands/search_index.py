"""Rebuild or check the search indexes.

    manage.py search_index rebuild [--chunk-size 1000]
    manage.py search_index check [--repair]

`check` exits with status 1 when an index has drifted from the database, so
it can gate a deploy or alert from cron.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.engines import SearchEngineUnavailable
from search.registry import all_kinds
from search.services import IndexingFailed, search_index_check, search_index_rebuild
from search.tasks import search_index_repair

SAMPLE = 10  # drifting ids listed per category


class Command(BaseCommand):
    help = "Rebuild the search indexes (zero downtime) or report drift from the database."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Reindex every public record of every kind.")
        rebuild.add_argument("--chunk-size", type=int, default=1000)
        check = sub.add_parser("check", help="Report records missing, stale or extra in an index.")
        check.add_argument("--repair", action="store_true", help="Queue updates for the drift.")

    def handle(self, *args, action, **options):
        if action == "rebuild":
            self.rebuild(options["chunk_size"])
        else:
            # Not named check(): that is BaseCommand's system check, run first.
            self.report_drift(repair=options["repair"])

    def rebuild(self, chunk_size):
        total = sum(kind.public_queryset().count() for kind in all_kinds())
        progress = tqdm(
            total=total,
            unit="rec",
            desc="Indexing",
            disable=not sys.stderr.isatty(),
            file=sys.stderr,
        )
        try:
            report = search_index_rebuild(chunk_size=chunk_size, on_progress=progress.update)
        except (SearchEngineUnavailable, IndexingFailed) as exc:
            raise CommandError(
                f"The search engine failed during the rebuild, so its aliases still serve the "
                f"old indexes (the new ones were dropped): {exc}"
            ) from exc
        finally:
            progress.close()
        where = "database table"
        if report.engine_indexes:
            indexes = ", ".join(report.engine_indexes)
            where += f" and search engine indexes {indexes} (aliases swapped)"
        kinds = ", ".join(f"{count:,} {name}" for name, count in report.records.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {report.total:,} records ({kinds}) into the {where} in "
                f"{report.seconds:.1f}s ({report.per_second:,.0f} records/s)."
            )
        )

    def report_drift(self, *, repair):
        report = search_index_repair() if repair else search_index_check()
        drifted = False
        for drift in report:
            where = f"{drift.backend} ({drift.kind})"
            if drift.error:
                drifted = True
                self.stdout.write(self.style.ERROR(f"{where}: unavailable ({drift.error})"))
                continue
            if drift.in_sync:
                self.stdout.write(self.style.SUCCESS(f"{where}: in sync"))
                continue
            drifted = True
            self.stdout.write(self.style.WARNING(f"{where}: drift"))
            for kind in ("missing", "stale", "extra"):
                pks = sorted(getattr(drift, kind))
                if pks:
                    sample = ", ".join(map(str, pks[:SAMPLE])) + (" …" if len(pks) > SAMPLE else "")
                    self.stdout.write(f"  {kind}: {len(pks)} ({sample})")
        if drifted and repair:
            self.stdout.write("Updates queued for every drifting record.")
        elif drifted:
            sys.exit(1)
