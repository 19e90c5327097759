from django.db import migrations


class Migration(migrations.Migration):
    """One name for the sample flag across the site: stories, memories, calls and
    identifications already say is_sample_content."""

    dependencies = [("objects", "0013_browse_images_first")]

    operations = [
        migrations.RenameField(
            model_name="collectionobject", old_name="is_sample_data", new_name="is_sample_content"
        ),
    ]
