"""Object types become a vocabulary staff manage, seeded with the list that was
fixed in code, under the same slugs so URLs and filters (`?object_type=poster`)
keep working."""

from django.db import migrations, models

# (slug, name, alternative labels) as ObjectType's choices were until now.
SEED_TERMS = [
    ("poster", "Poster", ""),
    ("programme", "Programme", "Program"),
    ("flyer", "Flyer", "Leaflet\nHandbill"),
    ("photograph", "Photograph", "Photo"),
    ("letter", "Letter", "Correspondence"),
    ("script", "Script", ""),
    ("costume", "Costume", ""),
    ("set-piece", "Set piece", "Prop"),
    ("building-fragment", "Building fragment", ""),
    ("painting", "Painting", ""),
    ("drawing", "Drawing", ""),
    ("print", "Print", ""),
    ("sculpture", "Sculpture", ""),
    ("document", "Document", ""),
    ("other", "Other", ""),
]


def seed_terms(apps, schema_editor):
    ObjectType = apps.get_model("objects", "ObjectType")
    for slug, name, alternative_labels in SEED_TERMS:
        ObjectType.objects.get_or_create(
            slug=slug, defaults={"name": name, "alternative_labels": alternative_labels}
        )


def let_collection_editors_manage_terms(apps, schema_editor):
    """Collection editors add, rename and merge terms (as for makers, no delete)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Collection editors").first()
    if group is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="objects", model="objecttype")
    for action in ("add", "change"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_objecttype",
            defaults={"name": f"Can {action} object type"},
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0007_maker_object_index_longer_credit_line"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ObjectType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=255, unique=True)),
                ("slug", models.SlugField(blank=True, max_length=100, unique=True)),
                ("description", models.TextField(blank=True)),
                (
                    "alternative_labels",
                    models.TextField(
                        blank=True,
                        help_text=(
                            'Other names for this type, one per line (for example "Playbill"). '
                            "Imports match them as well as the name."
                        ),
                    ),
                ),
                (
                    "added_by_import",
                    models.BooleanField(
                        default=False,
                        help_text=(
                            "Added by an import from a catalogue's own term. Review it: keep it "
                            "(untick this), rename it, or merge it into an existing type."
                        ),
                    ),
                ),
            ],
            options={"verbose_name": "object type", "ordering": ["name"], "abstract": False},
        ),
        migrations.RunPython(seed_terms, migrations.RunPython.noop),
        migrations.RunPython(let_collection_editors_manage_terms, migrations.RunPython.noop),
    ]
