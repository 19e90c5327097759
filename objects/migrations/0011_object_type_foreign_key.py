"""Step 3 of 3: the term column replaces the text column, required, with the
browse listing's index (live, type, date, id) rebuilt on it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("objects", "0010_object_type_term_data")]

    operations = [
        migrations.RemoveIndex(model_name="collectionobject", name="object_live_type_date"),
        migrations.RemoveField(model_name="collectionobject", name="object_type"),
        migrations.RenameField(
            model_name="collectionobject", old_name="object_type_term", new_name="object_type"
        ),
        migrations.AlterField(
            model_name="collectionobject",
            name="object_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="collection_objects",
                to="objects.objecttype",
            ),
        ),
        migrations.AddIndex(
            model_name="collectionobject",
            index=models.Index(
                fields=["live", "object_type", "date_earliest", "id"], name="object_live_type_date"
            ),
        ),
    ]
