"""Step 1 of 3 turning CollectionObject.object_type into a foreign key: a
nullable column for the term beside the old text column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("objects", "0008_objecttype")]

    operations = [
        migrations.AddField(
            model_name="collectionobject",
            name="object_type_term",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="objects.objecttype",
            ),
        ),
    ]
