"""Drop two single-column indexes the listing indexes already cover: every
index is paid for on each row an import writes. (production, live, date, id)
serves lookups by production; objects are looked up by type alone only when
staff merge or delete a term, which a scan does well enough."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('objects', '0011_object_type_foreign_key'),
    ]

    operations = [
        migrations.AlterField(
            model_name='collectionobject',
            name='object_type',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='collection_objects', to='objects.objecttype'),
        ),
        migrations.AlterField(
            model_name='collectionobject',
            name='production',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='collection_objects', to='objects.production'),
        ),
    ]
