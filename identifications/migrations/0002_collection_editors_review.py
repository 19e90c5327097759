"""Collection editors review "Help us identify" suggestions: accepting one changes
and publishes a catalogue record, which is their job (docs/roles.md). Moderators,
who moderate memories and nothing else, do not: they cannot change the catalogue.
No one but administrators may delete a suggestion."""

from django.db import migrations

GROUP_NAME = "Collection editors"
ACTIONS = ("view", "change")


def _permission(apps, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="identifications", model="identification"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_identification",
        defaults={"name": f"Can {action} identification"},
    )
    return permission


def forwards(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(*(_permission(apps, action) for action in ACTIONS))


def backwards(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).first()
    if group is not None:
        group.permissions.remove(*(_permission(apps, action) for action in ACTIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("identifications", "0001_initial"),
        ("objects", "0004_collection_editors_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
