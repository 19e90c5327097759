"""python manage.py load_demo_identifications

Accepts one sample "Help us identify" suggestion on a sample record, labelled as
sample content on its page (run load_demo_archive first). `make run` calls it
every time: after the first run it finds it and writes nothing.
"""

from django.core.management.base import BaseCommand

from devtools.demo_identifications import sample_identification_load


class Command(BaseCommand):
    help = "Accept a sample identification on a sample record."

    def handle(self, *args, **options):
        title = sample_identification_load()
        self.stdout.write(
            f"Sample identification accepted on: {title}."
            if title
            else "Sample identification: nothing to create."
        )
