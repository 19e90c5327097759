"""The browse page's newest-first order is `date_earliest DESC NULLS LAST, id DESC`
(undated objects last in both directions). PostgreSQL can only serve that from an
index declared with the same NULLS placement; SQLite cannot declare NULLS LAST in
an index at all, so this index exists on PostgreSQL only and is not in Meta.indexes.
"""

from django.db import migrations

INDEX_NAME = "object_live_date_desc"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON objects_collectionobject "
        "(live, date_earliest DESC NULLS LAST, id DESC)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("objects", "0002_listing_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
