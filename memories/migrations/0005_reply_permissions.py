"""Who may write and publish replies to memories (docs/roles.md).

Moderators and Curators write replies (drafts, with revisions); publishing one
needs the moderation permission, so only Moderators publish. Curators choose
the memory they answer through the memory chooser, which lists published
memories only: they get no view of the moderation queue.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITE = ["add_memoryreply", "change_memoryreply", "view_memoryreply"]
GRANTS = {"Moderators": [*WRITE, "publish_memoryreply"], "Curators": WRITE}


def forwards(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    app_config = apps.get_app_config("memories")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    reply_type, _ = ContentType.objects.get_or_create(app_label="memories", model="memoryreply")
    # Wagtail adds a draft-state snippet's publish permission after migrating: made here.
    Permission.objects.get_or_create(
        content_type=reply_type,
        codename="publish_memoryreply",
        defaults={"name": "Can publish reply to a memory"},
    )
    for name, codenames in GRANTS.items():
        group = apps.get_model("auth", "Group").objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="memories", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("memories", "0004_calls_replies_email_updates"),
        ("stories", "0002_stories_index_groups_workflow"),
        ("pages", "0005_least_privilege"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
