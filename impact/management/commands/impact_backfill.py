"""python manage.py impact_backfill

Derives what can be derived from records made before impact counting began: objects
already viewed (CollectionObject.view_count > 0) are recorded as seen, on a day
unknown, so the long tail counts them but never as "seen for the first time" in a
period. Memories need nothing: their figures are read live from the memories tables.
Safe to run again.
"""

from django.core.management.base import BaseCommand

from impact.services import impact_backfill


class Command(BaseCommand):
    help = "Record objects viewed before impact counting began as seen, on a day unknown."

    def handle(self, *args, **options):
        added = impact_backfill()
        self.stdout.write(f"Objects recorded as seen before counting began: {added:,}")
