"""Originals move to private storage (PRIVATE_MEDIA_ROOT), out of MEDIA_ROOT where
a traversal could reach them; rendition names get an optional per-image key, and
renditions are looked up by file name (the public media view)."""

import wagtail.images.models
from django.conf import settings
from django.db import migrations, models

import bac_collection.storage


def _original_names(apps):
    ArchiveImage = apps.get_model("images", "ArchiveImage")
    return ArchiveImage.objects.exclude(file="").values_list("file", flat=True).iterator()


def originals_to_private(apps, schema_editor):
    bac_collection.storage.move_between_roots(
        _original_names(apps),
        source_root=settings.MEDIA_ROOT,
        target_root=settings.PRIVATE_MEDIA_ROOT,
    )


def originals_to_public(apps, schema_editor):
    bac_collection.storage.move_between_roots(
        _original_names(apps),
        source_root=settings.PRIVATE_MEDIA_ROOT,
        target_root=settings.MEDIA_ROOT,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="archiveimage",
            name="rendition_key",
            field=models.CharField(blank=True, editable=False, max_length=16),
        ),
        migrations.AlterField(
            model_name="archiveimage",
            name="file",
            field=wagtail.images.models.WagtailImageField(
                height_field="height",
                storage=bac_collection.storage.private_storage,
                upload_to=wagtail.images.models.get_upload_to,
                verbose_name="file",
                width_field="width",
            ),
        ),
        migrations.AddIndex(
            model_name="archiverendition",
            index=models.Index(fields=["file"], name="archiverendition_file"),
        ),
        migrations.RunPython(originals_to_private, originals_to_public, elidable=False),
    ]
