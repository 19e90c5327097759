"""The "Impact viewers" group: the Impact area in the admin and nothing else
(docs/roles.md). Superusers see it too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Impact viewers"
PERMISSIONS = [("wagtailadmin", "access_admin"), ("impact", "view_impact")]


def forwards(apps, schema_editor):
    # Permissions are normally created after migrations; the group needs them now.
    app_config = apps.get_app_config("impact")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in PERMISSIONS
        ]
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("impact", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # Wagtail's document migrations give document choosing to every group that can
        # reach the admin when they run: they must run before this group exists.
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
