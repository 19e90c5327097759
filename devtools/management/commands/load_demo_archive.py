"""python manage.py load_demo_archive

Imports the sample records in demo/ (Tate's CC0 metadata and a few openly
licensed photographs), marked as sample data. `make run` calls it every time:
after the first run it finds every record unchanged and writes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from objects.services import collection_import

DEMO_FILE = Path(settings.BASE_DIR) / "demo" / "objects.csv"


class Command(BaseCommand):
    help = "Load the demo archive (sample data, labelled as such on the site)."

    def handle(self, *args, **options):
        result = collection_import(path=DEMO_FILE, is_sample_content=True)
        if result.errors:
            problems = "; ".join(
                f"line {e.line} {e.column}: {e.problem}" for e in result.errors[:5]
            )
            raise CommandError(f"The demo archive has problems: {problems}")
        self.stdout.write(
            f"Demo archive: {result.created:,} created, {result.updated:,} updated, "
            f"{result.unchanged:,} unchanged ({result.seconds:.1f} s)."
        )
