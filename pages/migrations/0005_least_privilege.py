"""Least privilege for the staff groups (docs/roles.md has the whole table).

1. Wagtail's default page workflow ("Moderators approval", on the root page) asked
   the Moderators group to review page changes, which let memory moderators open,
   edit and save site pages. Page reviews go to Publishers instead.
2. Image permissions granted on the root collection reached every child collection,
   "Community memories" included: curators could browse, replace and delete
   contributors' photos, pending ones too. Archive images now live in an "Archive"
   collection beside it, and the staff groups' image permissions are granted there;
   contributors' photos are reached only through moderation.
3. Whether Curators and Publishers could choose documents depended on the order in
   which Wagtail's migration granting that ran beside ours. Both write pages that link
   documents, so both get it, whatever the order.
"""

from django.db import migrations

ARCHIVE = "Archive"
MODERATORS = "Moderators"
PUBLISHERS = "Publishers"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _child_collection(apps, root, name):
    """A child of the root collection (treebeard's add_child is not available here)."""
    Collection = apps.get_model("wagtailcore", "Collection")
    existing = Collection.objects.filter(depth=2, name=name).first()
    if existing:
        return existing
    last = Collection.objects.filter(depth=2).order_by("-path").first()
    step = int(last.path[-4:], 36) + 1 if last else 1
    segment = ""
    while step:
        step, digit = divmod(step, 36)
        segment = ALPHABET[digit] + segment
    collection = Collection.objects.create(
        name=name, path=root.path + segment.rjust(4, "0"), depth=2, numchild=0
    )
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return collection


def _grant_document_choosing(apps, root, group_names):
    Permission = apps.get_model("auth", "Permission")
    choose = Permission.objects.get(
        content_type__app_label="wagtaildocs", codename="choose_document"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=group_names):
        group.permissions.add(choose)
        apps.get_model("wagtailcore", "GroupCollectionPermission").objects.get_or_create(
            group=group, collection=root, permission=choose
        )


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    moderators = Group.objects.filter(name=MODERATORS).first()
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    if moderators is not None:
        for task in GroupApprovalTask.objects.filter(groups=moderators):
            task.groups.remove(moderators)
            task.groups.add(publishers)
            if task.name == "Moderators approval":
                task.name = "Publishers approval"
                task.save(update_fields=["name"])
        apps.get_model("wagtailcore", "Workflow").objects.filter(name="Moderators approval").update(
            name="Site page review"
        )
        apps.get_model("wagtailcore", "GroupPagePermission").objects.filter(
            group=moderators
        ).delete()

    # Wagtail's image views read collection permissions only; model-level image
    # permissions (Wagtail's initial data gave Editors some) are dead weight.
    for group in Group.objects.all():
        group.permissions.remove(*group.permissions.filter(content_type__app_label="wagtailimages"))

    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    _grant_document_choosing(apps, root, ["Curators", PUBLISHERS])
    archive = _child_collection(apps, root, ARCHIVE)
    apps.get_model("images", "ArchiveImage").objects.filter(collection=root).update(
        collection=archive
    )
    apps.get_model("wagtailcore", "GroupCollectionPermission").objects.filter(
        collection=root, permission__content_type__app_label="wagtailimages"
    ).update(collection=archive)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_page_cache_epoch"),
        ("memories", "0002_consent_wording_moderators_photo_collection"),
        ("stories", "0002_stories_index_groups_workflow"),
        ("objects", "0004_collection_editors_group"),
        ("images", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
