"""Step 2 of 3: point every object at the term with its old slug, and rewrite
saved revisions the same way, so drafts and history still open in the admin.

A value not in the seeded list (possible only through raw SQL) gets a term of
its own, marked for review, rather than being lost.
"""

from django.db import migrations


def terms_by_slug(apps, slugs):
    ObjectType = apps.get_model("objects", "ObjectType")
    ids = dict(ObjectType.objects.values_list("slug", "pk"))
    for slug in sorted(set(slugs) - ids.keys()):
        name = (slug or "other").replace("-", " ").capitalize()
        term, _ = ObjectType.objects.get_or_create(
            slug=slug or "other", defaults={"name": name, "added_by_import": True}
        )
        ids[slug] = term.pk
    return ids


def forwards(apps, schema_editor):
    CollectionObject = apps.get_model("objects", "CollectionObject")
    used = CollectionObject.objects.values_list("object_type", flat=True).distinct()
    ids = terms_by_slug(apps, used)
    for slug, pk in ids.items():
        CollectionObject.objects.filter(object_type=slug).update(object_type_term=pk)
    rewrite_revisions(apps, lambda value: ids.get(value) if isinstance(value, str) else value)


def backwards(apps, schema_editor):
    CollectionObject = apps.get_model("objects", "CollectionObject")
    ObjectType = apps.get_model("objects", "ObjectType")
    slugs = dict(ObjectType.objects.values_list("pk", "slug"))
    for pk, slug in slugs.items():
        CollectionObject.objects.filter(object_type_term=pk).update(object_type=slug[:32])
    rewrite_revisions(apps, lambda value: slugs.get(value, value))


def rewrite_revisions(apps, convert):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="objects", model="collectionobject").first()
    if content_type is None:
        return
    changed = []
    for revision in Revision.objects.filter(base_content_type=content_type).iterator():
        if "object_type" not in revision.content:
            continue
        value = convert(revision.content["object_type"])
        if value != revision.content["object_type"]:
            revision.content["object_type"] = value
            changed.append(revision)
    Revision.objects.bulk_update(changed, ["content"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("objects", "0009_object_type_term"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
