"""Write the bulk open-data download now (beat does it nightly), then verify it.

python manage.py opendata_dump            # write, publish, verify checksums
python manage.py opendata_dump --verify   # only check the current dump
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from api.dumps import dump_dir, opendata_dump_verify, opendata_dump_write


class Command(BaseCommand):
    help = "Write every public record as gzipped CSV and JSON Lines with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true", help="Only verify the current dump's checksums."
        )

    def handle(self, *args, verify=False, **options):
        manifest = None
        if not verify:
            manifest = opendata_dump_write()
            for entry in manifest["files"]:
                self.stdout.write(
                    f"{entry['name']:<22} {entry['records']:>8} records "
                    f"{filesizeformat(entry['bytes']):>10}  sha256 {entry['sha256'][:16]}…"
                )
        problems = opendata_dump_verify(manifest)
        if problems:
            raise CommandError("The dump does not verify:\n" + "\n".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Checksums verified ({dump_dir()})."))
