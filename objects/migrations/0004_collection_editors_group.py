"""A least-privilege "Collection editors" group: catalogue and publish objects,
maintain makers/productions/subjects/places, and upload and choose images.
No delete permissions: removing records stays with administrators."""

from django.db import migrations

GROUP_NAME = "Collection editors"
CATALOGUE_MODELS = ["collectionobject", "maker", "production", "subject", "place"]
IMAGE_CODENAMES = ["add_image", "change_image", "choose_image"]


def permission(apps, app_label, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return perm


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    perms = [permission(apps, "wagtailadmin", "admin", "access")]
    for model in CATALOGUE_MODELS:
        perms += [permission(apps, "objects", model, action) for action in ("add", "change")]
    perms.append(permission(apps, "objects", "collectionobject", "publish"))
    group.permissions.add(*perms)

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for codename in IMAGE_CODENAMES:
        action, model = codename.split("_", 1)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission(apps, "wagtailimages", model, action)
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0003_postgres_newest_first_index"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
