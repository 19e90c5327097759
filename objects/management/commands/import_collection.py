"""python manage.py import_collection FILE [--format tate] [--dry-run] [--strict]
[--add-missing-terms]

See docs/importing.md for the columns and what each option does.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from objects.importing.readers import ImportFileError
from objects.importing.result import rows_phrase, write_error_report
from objects.importing.source import FORMATS
from objects.services import DEFAULT_BATCH_SIZE, collection_import


class Command(BaseCommand):
    help = (
        "Create or update collection objects from a CSV or JSON Lines file (or Tate's "
        "artwork_data.csv with --format tate), keyed on accession number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="csv or jsonl (default: from the file name), or tate for Tate's artwork_data.csv.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--strict", action="store_true", help="Write nothing unless every row is good."
        )
        parser.add_argument(
            "--add-missing-terms",
            action="store_true",
            help=(
                "Add object types the vocabulary lacks (marked as added by import, for staff "
                "to review or merge) instead of refusing their rows."
            ),
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="The file's text encoding (default utf-8); cp1252 for Excel's plain CSV.",
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Create new objects as drafts instead of publishing them.",
        )
        parser.add_argument(
            "--errors",
            type=Path,
            help="Where to write the error report (default: FILE-errors.csv in this folder).",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args, file: Path, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        # A progress bar with rate and ETA on a terminal; nothing in CI logs.
        bar = tqdm(
            unit=" rows", file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True
        )
        try:
            result = collection_import(
                path=file,
                file_format=options["format"],
                dry_run=options["dry_run"],
                strict=options["strict"],
                add_missing_terms=options["add_missing_terms"],
                encoding=options["encoding"],
                publish=not options["draft"],
                batch_size=options["batch_size"],
                on_start=lambda total: setattr(bar, "total", total),
                on_progress=bar.update,
            )
        except ImportFileError as error:
            raise CommandError(str(error))
        except OSError as error:  # Unreadable: permissions, a folder, a vanished disk.
            raise CommandError(f"Cannot read {error.filename or file}: {error.strerror}.")
        finally:
            bar.close()

        for line in result.summary_lines():
            self.stdout.write(line)
        if result.errors:
            report = options["errors"] or Path.cwd() / f"{file.stem}-errors.csv"
            write_error_report(result.errors, report)
            raise CommandError(
                f"{rows_phrase(result.rows_with_errors)} problems: see {report} "
                "(line, column, problem). Fix them and run the import again."
            )
