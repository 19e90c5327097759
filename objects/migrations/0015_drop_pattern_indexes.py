"""Drop the two `varchar_pattern_ops` indexes Django adds on PostgreSQL beside a unique
CharField's own index (accession number, slug). They serve only `LIKE 'x%'`
(startswith), which no query of the site makes on these columns: objects are found by
exact slug or accession number (the unique indexes), and the admin chooser's
istartswith/icontains compare UPPER(...), which no plain index serves. Every index
is paid for on each row an import writes: these two cost about a sixth of a row's
time in the database at a million objects (issue 20, docs/performance.md).

Should a later migration alter either field, Django drops these names IF EXISTS and
recreates them; drop them again then.
"""

from django.db import migrations

TABLE = "objects_collectionobject"
PATTERN_INDEXES = {
    "objects_collectionobject_accession_number_585ed361_like": "accession_number",
    "objects_collectionobject_slug_ef545566_like": "slug",
}


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in PATTERN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in PATTERN_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({column} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("objects", "0014_is_sample_content")]

    operations = [migrations.RunPython(drop_indexes, create_indexes, elidable=False)]
