"""The first consent wording, the "Moderators" group (memories and nothing
else) and the Wagtail collection that holds contributors' photos."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FIRST_WORDING = """By sending this form you give Battersea Arts Centre permission to publish your memory, with the name you choose (or as "Anonymous"), on this website, beside the objects and shows it is about, and in its search.

A volunteer reads every memory before it is published and may shorten it or remove personal details, such as phone numbers or other people's full names.

Your email address is never published. We use it only to send you your private link, to tell you if we cannot publish your memory, and, if you agree, to contact you about it.

You can change, download or withdraw your memory at any time through your private link; withdrawing deletes it and its files."""

MODERATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("memories", "view_memory"),
    ("memories", "change_memory"),
]


def forwards(apps, schema_editor):
    ConsentWording = apps.get_model("memories", "ConsentWording")
    if not ConsentWording.objects.exists():
        ConsentWording.objects.create(version=1, text=FIRST_WORDING)

    # Permissions are normally created after migrations; moderators need them now.
    app_config = apps.get_app_config("memories")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    # Wagtail's own initial data made a "Moderators" group that edits and publishes
    # every page, image and document. Ours moderates memories and nothing else.
    moderators.permissions.clear()
    apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(group=moderators).delete()
    apps.get_model("wagtailcore", "GroupCollectionPermission").objects.filter(
        group=moderators
    ).delete()
    for app_label, codename in MODERATOR_PERMISSIONS:
        moderators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    Collection = apps.get_model("wagtailcore", "Collection")
    if not Collection.objects.filter(name="Community memories").exists():
        root = Collection.objects.get(depth=1)
        # treebeard's add_child is not available on historical models: place it by hand.
        last = Collection.objects.filter(depth=2).order_by("-path").first()
        step = int(last.path[-4:], 36) + 1 if last else 1
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        segment = ""
        while step:
            step, digit = divmod(step, 36)
            segment = alphabet[digit] + segment
        Collection.objects.create(
            name="Community memories", path=root.path + segment.rjust(4, "0"), depth=2, numchild=0
        )
        root.numchild += 1
        root.save(update_fields=["numchild"])


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("memories", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0025_collection_initial_data"),
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
