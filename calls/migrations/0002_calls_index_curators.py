"""The "Calls for memories" index under the home page, and who may write calls.

Curators write calls (add and edit pages in the index, lock what they edit);
Publishers, who publish everything under the home page, publish them, after the
site's page review workflow that the index inherits from the root.
"""

from django.db import migrations

CURATORS = "Curators"
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(page, children):
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return page.path + step.rjust(STEPLEN, "0")


def _calls_index(apps, home):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    CallIndexPage = apps.get_model("calls", "CallIndexPage")
    existing = CallIndexPage.objects.first()
    if existing is not None:
        return existing
    content_type, _ = ContentType.objects.get_or_create(app_label="calls", model="callindexpage")
    children = Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)
    index = CallIndexPage.objects.create(
        title="Calls for memories",
        draft_title="Calls for memories",
        slug="calls",
        content_type=content_type,
        path=_next_child_path(home, children),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}calls/",
        locale_id=home.locale_id,
        live=True,
        has_unpublished_changes=False,
        introduction="Questions Battersea Arts Centre is asking: if you were there, tell us.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=children.count())
    return index


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    home = apps.get_model("home", "HomePage").objects.order_by("path").first()
    if home is None:  # no site yet: page permissions are set in the admin
        return
    index = _calls_index(apps, home)
    curators = Group.objects.filter(name=CURATORS).first()
    if curators is None:
        return
    for action in ("add", "change", "lock"):
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=f"{action}_page"
        )
        GroupPagePermission.objects.get_or_create(
            group=curators, page=index, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("stories", "0002_stories_index_groups_workflow"),
        ("pages", "0005_least_privilege"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
