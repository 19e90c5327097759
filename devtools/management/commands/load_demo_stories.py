"""python manage.py load_demo_stories

Creates two or three sample stories from the demo archive's sample records
(run load_demo_archive first), labelled as sample content. `make run` calls it
every time: after the first run it finds them and writes nothing.
"""

from django.core.management.base import BaseCommand

from devtools.demo_stories import sample_stories_load


class Command(BaseCommand):
    help = "Create sample stories from the sample records (labelled as sample content)."

    def handle(self, *args, **options):
        created = sample_stories_load()
        if created:
            self.stdout.write("Sample stories created: " + "; ".join(created) + ".")
        else:
            self.stdout.write("Sample stories: nothing to create.")
