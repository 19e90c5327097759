"""Least privilege, proven: every permission of every staff group is the one
docs/roles.md lists, and the boundaries that matter hold in the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from images.models import ArchiveImage
from images.services import archive_collection
from tests.conftest import PROJECT_ROOT
from tests.factories.memories import MemoryFactory

pytestmark = pytest.mark.django_db

ROLES_DOC = PROJECT_ROOT / "docs" / "roles.md"
COLUMNS = ("model", "pages", "collections", "reviews")


def _documented() -> dict[str, dict[str, set[str]]]:
    """The table in docs/roles.md: group -> column -> set of entries."""
    table = {}
    for line in ROLES_DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 1 + len(COLUMNS) or cells[0] in ("Group", "") or cells[0].startswith("-"):
            continue
        entries = [re.findall(r"`([^`]+)`", cell) for cell in cells[1:]]
        table[cells[0]] = {
            column: set(found) for column, found in zip(COLUMNS, entries, strict=True)
        }
    return table


def _granted() -> dict[str, dict[str, set[str]]]:
    groups = {}
    for group in Group.objects.order_by("name"):
        groups[group.name] = {
            "model": {
                f"{p.content_type.app_label}.{p.codename}"
                for p in group.permissions.select_related("content_type")
            },
            "pages": {
                f"{p.page.title}:{p.permission.codename}"
                for p in GroupPagePermission.objects.filter(group=group).select_related(
                    "page", "permission"
                )
            },
            "collections": {
                f"{p.collection.name}:{p.permission.codename}"
                for p in GroupCollectionPermission.objects.filter(group=group).select_related(
                    "collection", "permission"
                )
            },
            "reviews": {task.name for task in GroupApprovalTask.objects.filter(groups=group)},
        }
    return groups


def test_every_group_has_exactly_the_permissions_docs_roles_lists():
    assert _granted() == _documented()


def test_moderators_review_no_page_and_edit_no_page(client, django_user_model):
    moderator = django_user_model.objects.create_user("mod", password="pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    home = Page.objects.get(depth=2)

    assert not GroupApprovalTask.objects.filter(groups__name="Moderators").exists()
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)
    assert client.get("/admin/memories/memory/?status=pending").status_code == 200  # theirs


def test_curators_cannot_reach_contributors_photos_in_the_image_library(client, django_user_model):
    curator = django_user_model.objects.create_user("curator", password="pw")
    curator.groups.add(Group.objects.get(name="Curators"))
    client.force_login(curator)
    memories = Collection.objects.get(name="Community memories")
    photo = ArchiveImage.objects.create(
        title="Memory photo", file="original_images/m.jpg", width=10, height=10,
        collection=memories,
    )  # fmt: skip
    MemoryFactory(photo=photo, status="pending")
    scan = ArchiveImage.objects.create(
        title="Poster scan", file="original_images/s.jpg", width=10, height=10,
        collection=archive_collection(),
    )  # fmt: skip

    listing = client.get("/admin/images/").content.decode()
    assert "Poster scan" in listing and "Memory photo" not in listing
    for url in (f"/admin/images/{photo.pk}/", f"/admin/images/{photo.pk}/delete/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"/admin/images/{photo.pk}/delete/").status_code in (302, 403)
    assert ArchiveImage.objects.filter(pk=photo.pk).exists()
    assert client.get(f"/admin/images/{scan.pk}/").status_code == 200


STAFF_GROUPS = ["Collection editors", "Curators", "Editors", "Moderators", "Publishers"]


@pytest.mark.parametrize("group_name", STAFF_GROUPS)
def test_only_moderators_reach_memories_and_moderators_reach_nothing_else(
    client, django_user_model, group_name
):
    user = django_user_model.objects.create_user(f"staff-{group_name}", password="pw")
    user.groups.add(Group.objects.get(name=group_name))
    client.force_login(user)
    memory = MemoryFactory(status="pending")
    memory_urls = [
        "/admin/memories/memory/",
        f"/admin/memories/memory/edit/{memory.pk}/",
        f"/admin/memories/memory/inspect/{memory.pk}/",
        f"/admin/memories/review/{memory.pk}/",
    ]
    home = Page.objects.get(depth=2)
    page_urls = [f"/admin/pages/{home.pk}/edit/", f"/admin/pages/{home.pk}/add_subpage/"]

    reached = {url for url in memory_urls + page_urls if client.get(url).status_code == 200}

    if group_name == "Moderators":
        assert reached == set(memory_urls)
    else:
        assert not reached & set(memory_urls)
    assert client.post(f"/admin/memories/memory/delete/{memory.pk}/").status_code in (302, 403)
    assert memory.__class__.objects.filter(pk=memory.pk).exists()  # deletion is admins' alone
