"""Recordings move to private storage (PRIVATE_MEDIA_ROOT), out of MEDIA_ROOT where
a traversal could reach a pending memory's recording."""

from django.conf import settings
from django.db import migrations, models

import bac_collection.storage


def _audio_names(apps):
    Memory = apps.get_model("memories", "Memory")
    return Memory.objects.exclude(audio="").values_list("audio", flat=True).iterator()


def audio_to_private(apps, schema_editor):
    bac_collection.storage.move_between_roots(
        _audio_names(apps), source_root=settings.MEDIA_ROOT, target_root=settings.PRIVATE_MEDIA_ROOT
    )


def audio_to_public(apps, schema_editor):
    bac_collection.storage.move_between_roots(
        _audio_names(apps), source_root=settings.PRIVATE_MEDIA_ROOT, target_root=settings.MEDIA_ROOT
    )


class Migration(migrations.Migration):
    dependencies = [
        ("memories", "0002_consent_wording_moderators_photo_collection"),
    ]

    operations = [
        migrations.AlterField(
            model_name="memory",
            name="audio",
            field=models.FileField(
                blank=True,
                storage=bac_collection.storage.private_storage,
                upload_to="memories/audio/",
            ),
        ),
        migrations.RunPython(audio_to_private, audio_to_public, elidable=False),
    ]
