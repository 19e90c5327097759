"""The "Stories" section, who may write and publish in it, and how stories are reviewed.

- A "Stories" index page under the home page (the site's only one).
- "Curators": write stories (add and edit pages in Stories, lock what they are
  editing), catalogue objects as drafts, add and choose images, keep their own
  author profile. They cannot publish anything: a story goes to review.
- "Publishers": everything curators do, plus publish and unpublish pages (stories
  and the home page), publish objects, unlock pages, manage authors and themes.
- Neither group can manage users, groups, settings or delete pages.
- A "Story review" workflow on Stories with one task, "Publisher approval",
  that members of Publishers approve or send back.
The existing "Collection editors" group is left as it is.
"""

from django.db import migrations

CURATORS = "Curators"
PUBLISHERS = "Publishers"
WORKFLOW = "Story review"
TASK = "Publisher approval"
CATALOGUE_MODELS = ["collectionobject", "maker", "production", "subject", "place"]
IMAGE_ACTIONS = ["add", "change", "choose"]
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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


def next_child_path(page, children):
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], 36) + 1 if last else 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return page.path + step.rjust(STEPLEN, "0")


def stories_index(apps, home):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    StoryIndexPage = apps.get_model("stories", "StoryIndexPage")
    existing = StoryIndexPage.objects.first()
    if existing is not None:
        return existing
    content_type, _ = ContentType.objects.get_or_create(app_label="stories", model="storyindexpage")
    index = StoryIndexPage.objects.create(
        title="Stories",
        draft_title="Stories",
        slug="stories",
        content_type=content_type,
        path=next_child_path(home, Page.objects.filter(depth=home.depth + 1, path__startswith=home.path)),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}stories/",
        locale_id=home.locale_id,
        live=True,
        has_unpublished_changes=False,
        introduction="Stories written by Battersea Arts Centre staff around objects in the archive.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    return index


def grant_pages(apps, group, page, actions):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission(apps, "wagtailcore", "page", action)
        )


def grant_images(apps, group):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for action in IMAGE_ACTIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission(apps, "wagtailimages", "image", action)
        )


def create_groups_and_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    HomePage = apps.get_model("home", "HomePage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    curators, _ = Group.objects.get_or_create(name=CURATORS)
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    admin_access = permission(apps, "wagtailadmin", "admin", "access")
    catalogue = [
        permission(apps, "objects", model, action)
        for model in CATALOGUE_MODELS
        for action in ("add", "change")
    ]
    curators.permissions.add(
        admin_access, *catalogue, *(permission(apps, "stories", "staffprofile", a) for a in ("add", "change"))
    )
    publishers.permissions.add(
        admin_access,
        *catalogue,
        permission(apps, "objects", "collectionobject", "publish"),
        *(
            permission(apps, "stories", model, action)
            for model in ("staffprofile", "theme")
            for action in ("add", "change", "delete")
        ),
    )
    grant_images(apps, curators)
    grant_images(apps, publishers)

    home = HomePage.objects.order_by("path").first()
    if home is None:  # no site yet: the groups exist, page permissions are set in the admin
        return
    index = stories_index(apps, home)
    grant_pages(apps, curators, index, ["add", "change", "lock"])
    grant_pages(apps, publishers, home, ["add", "change", "publish", "lock", "unlock"])

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, created = GroupApprovalTask.objects.get_or_create(
        name=TASK, defaults={"content_type": task_type, "active": True}
    )
    task.groups.add(publishers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})


def remove_groups_and_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).delete()
    apps.get_model("auth", "Group").objects.filter(name__in=[CURATORS, PUBLISHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("objects", "0004_collection_editors_group"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, remove_groups_and_workflow)]
