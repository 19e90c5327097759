# The search table holds records of every registered kind, not only objects.
# Destructive by design (reviewed): the table is derived data, dropped and
# recreated; run `manage.py search_index rebuild` after migrating.

import django.contrib.postgres.search
from django.db import migrations, models

# PostgreSQL only: the GIN indexes behind full-text search and facet filters.
POSTGRES_SETUP = """
CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING gin (search_vector);
CREATE INDEX IF NOT EXISTS search_entry_filters
    ON search_searchentry USING gin (filter_keys jsonb_path_ops);
"""
POSTGRES_TEARDOWN = """
DROP INDEX IF EXISTS search_entry_filters;
DROP INDEX IF EXISTS search_entry_vector;
"""


def postgres_setup(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_SETUP)


def postgres_teardown(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_TEARDOWN)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="SearchEntry"),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=32)),
                ("record_id", models.BigIntegerField()),
                ("title", models.CharField(max_length=500)),
                ("url", models.CharField(max_length=500)),
                ("summary", models.CharField(blank=True, max_length=500)),
                ("identifier", models.CharField(blank=True, max_length=64)),
                ("names", models.TextField(blank=True)),
                ("description", models.TextField(blank=True)),
                ("has_image", models.BooleanField(default=False)),
                ("keywords", models.TextField(blank=True)),
                ("date_earliest", models.SmallIntegerField(blank=True, null=True)),
                ("sort_title", models.CharField(max_length=255)),
                ("facet_keys", models.JSONField(default=list)),
                ("filter_keys", models.JSONField(default=list)),
                ("folded_title", models.TextField(blank=True)),
                ("folded_names", models.TextField(blank=True)),
                ("folded_text", models.TextField(blank=True)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("source_updated_at", models.DateTimeField(null=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name_plural": "search entries",
                "indexes": [
                    models.Index(fields=["date_earliest", "id"], name="search_entry_date"),
                    models.Index(fields=["sort_title", "id"], name="search_entry_title"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "record_id"), name="search_entry_record")
                ],
            },
        ),
        migrations.RunPython(postgres_setup, postgres_teardown),
    ]
