"""Cards for stories without a hero image: each theme gets a colour (existing
themes take the colours in turn) and each story remembers the first object its
body shows."""

import django.db.models.deletion
from django.db import migrations, models

from stories.models.pages import _object_ids

COLOURS = ["red", "blue", "green", "purple", "ochre"]


def fill(apps, schema_editor):
    Theme = apps.get_model("stories", "Theme")
    StoryPage = apps.get_model("stories", "StoryPage")
    CollectionObject = apps.get_model("objects", "CollectionObject")
    for n, theme in enumerate(Theme.objects.order_by("pk")):
        theme.colour = COLOURS[n % len(COLOURS)]
        theme.save(update_fields=["colour"])
    existing = set(CollectionObject.objects.values_list("pk", flat=True))
    for story in StoryPage.objects.all():
        ids = [pk for pk in _object_ids(story.body.raw_data) if pk in existing]
        if ids:
            story.card_object_id = ids[0]
            story.save(update_fields=["card_object"])


class Migration(migrations.Migration):

    dependencies = [
        ('objects', '0013_browse_images_first'),
        ('stories', '0003_community_memory_block'),
    ]

    operations = [
        migrations.AddField(
            model_name='storypage',
            name='card_object',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='objects.collectionobject'),
        ),
        migrations.AddField(
            model_name='theme',
            name='colour',
            field=models.CharField(choices=[('red', 'Theatre red'), ('blue', 'Night blue'), ('green', 'Park green'), ('purple', 'Velvet purple'), ('ochre', 'Brick ochre')], default='red', help_text='The card of a story in this theme that has no hero image.', max_length=10),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
