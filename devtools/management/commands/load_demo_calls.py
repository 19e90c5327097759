"""python manage.py load_demo_calls

Creates one open sample call for memories about a sample record, with two sample
responses and one sample reply, all labelled as sample content (run
load_demo_archive first). `make run` calls it every time: after the first run it
finds the call and writes nothing.
"""

from django.core.management.base import BaseCommand

from devtools.demo_calls import sample_call_load


class Command(BaseCommand):
    help = "Create a sample call for memories with sample responses and a reply."

    def handle(self, *args, **options):
        title = sample_call_load()
        self.stdout.write(
            f"Sample call created: {title}." if title else "Sample call: nothing to create."
        )
