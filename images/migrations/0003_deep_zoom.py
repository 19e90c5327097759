from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("images", "0002_private_originals"),
    ]

    operations = [
        migrations.AddField(
            model_name="archiveimage",
            name="tile_pyramid",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="archiveimage",
            name="deep_zoom_confirmed",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "An image shown on an object with a content warning can be zoomed to its "
                    "full resolution only once this is ticked."
                ),
                verbose_name="full-resolution zoom despite a content warning",
            ),
        ),
    ]
