"""Editorial workflow through the real admin: curators write and submit,
publishers approve and publish, and a curator cannot publish by any route."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from stories.models import StoryIndexPage, StoryPage
from stories.tasks import publish_scheduled_task
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory, object_block

from .support import add_url, member_of, story_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    return member_of("Curators")


@pytest.fixture
def publisher():
    return member_of("Publishers")


def edit_story(client, story, **kwargs):
    return client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), story_form(**kwargs))


def test_a_curator_writes_and_submits_a_story_for_review(client, curator):
    obj = CollectionObjectFactory()
    client.force_login(curator)

    response = client.post(add_url(), story_form(objects=[obj]))

    assert response.status_code == 302, response.content.decode()[:2000]
    story = StoryPage.objects.get(slug="posters-of-1998")
    assert not story.live
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Publisher approval"


def test_a_publisher_approves_and_the_story_goes_live(client, curator, publisher):
    obj = CollectionObjectFactory()
    client.force_login(curator)
    client.post(add_url(), story_form(objects=[obj]))
    story = StoryPage.objects.get(slug="posters-of-1998")
    task_state = WorkflowState.objects.get(object_id=str(story.pk)).current_task_state

    client.force_login(publisher)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk]),
        {"comment": "Lovely."},
    )

    assert response.status_code in (200, 302)
    story.refresh_from_db()
    assert story.live
    assert story.title in client.get(obj.get_absolute_url()).content.decode()


def test_a_curator_cannot_publish_when_creating(client, curator):
    client.force_login(curator)
    client.post(add_url(), story_form(action="action-publish"))
    story = StoryPage.objects.get(slug="posters-of-1998")
    assert not story.live
    assert story.live_revision is None


def test_a_curator_cannot_publish_an_existing_story(client, curator):
    story = StoryPageFactory(title="Draft", live=False)
    client.force_login(curator)
    edit_story(client, story, title="Draft", action="action-publish")
    story.refresh_from_db()
    assert not story.live


def test_a_curator_cannot_schedule_publication(client, curator):
    story = StoryPageFactory(title="Draft", live=False)
    client.force_login(curator)
    go_live = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    edit_story(client, story, title="Draft", action="action-publish", go_live_at=go_live)
    story.refresh_from_db()
    assert not story.live
    assert not story.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_curator_cannot_approve_a_review(client, curator):
    client.force_login(curator)
    client.post(add_url(), story_form())
    story = StoryPage.objects.get(slug="posters-of-1998")
    task_state = WorkflowState.objects.get(object_id=str(story.pk)).current_task_state

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", task_state.pk])
    )

    story.refresh_from_db()
    assert not story.live


def test_a_curator_cannot_bulk_publish_unpublish_or_copy_live(client, curator):
    draft = StoryPageFactory(title="Draft", live=False)
    live = StoryPageFactory(title="Live")
    client.force_login(curator)

    client.post(f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}", {"include_descendants": ""})
    client.post(reverse("wagtailadmin_pages:unpublish", args=[live.pk]))
    client.post(
        reverse("wagtailadmin_pages:copy", args=[draft.pk]),
        {
            "new_title": "Copy",
            "new_slug": "copy",
            "new_parent_page": draft.get_parent().pk,
            "publish_copies": "on",
        },
    )

    draft.refresh_from_db()
    live.refresh_from_db()
    assert not draft.live
    assert live.live
    assert not StoryPage.objects.filter(slug="copy", live=True).exists()


def test_neither_group_manages_users_groups_or_settings(client, curator, publisher):
    for user in (curator, publisher):
        client.force_login(user)
        assert client.get("/admin/").status_code == 200
        for url in ("/admin/users/", "/admin/groups/", "/admin/sites/", "/admin/workflows/list/"):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url, response.status_code)
        assert not user.has_perm("wagtailcore.delete_page")


def test_curators_edit_objects_as_drafts_and_publishers_publish_them(curator, publisher):
    assert curator.has_perm("objects.change_collectionobject")
    assert not curator.has_perm("objects.publish_collectionobject")
    assert publisher.has_perm("objects.publish_collectionobject")


def test_the_collection_editors_group_keeps_working(client):
    editor = member_of("Collection editors", "editor")
    obj = CollectionObjectFactory()
    client.force_login(editor)
    assert editor.has_perm("objects.publish_collectionobject")
    response = client.get(reverse("wagtailsnippets_objects_collectionobject:edit", args=[obj.pk]))
    assert response.status_code == 200


def test_a_publisher_edits_the_home_page(client, publisher):
    client.force_login(publisher)
    home = Page.objects.get(depth=2)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).status_code == 200


# --- Scheduled publishing -----------------------------------------------------


def test_a_scheduled_story_is_published_by_the_beat_task(client, publisher):
    obj = CollectionObjectFactory()
    story = StoryPageFactory(title="Scheduled", live=False, body=[object_block(obj)])
    client.force_login(publisher)
    go_live = timezone.localtime() + datetime.timedelta(hours=1)
    response = edit_story(
        client,
        story,
        title="Scheduled",
        objects=[obj],
        action="action-publish",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.live
    revision = story.revisions.get(approved_go_live_at__isnull=False)

    publish_scheduled_task.delay()
    story.refresh_from_db()
    assert not story.live  # not yet due

    # An hour later, as far as the schedule is concerned.
    due = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    publish_scheduled_task.delay()

    story.refresh_from_db()
    assert story.live
    assert "Scheduled" in client.get(obj.get_absolute_url()).content.decode()


# --- Previews, locking, revisions ---------------------------------------------


def test_every_page_type_previews(admin_user):
    from django.test import RequestFactory

    from home.models import HomePage

    obj = CollectionObjectFactory(title="Withdrawn poster")
    story = StoryPageFactory(title="Previewed story", body=[object_block(obj)])
    obj.unpublish()
    request = RequestFactory().get("/")
    request.user = admin_user
    for page in (story, StoryIndexPage.objects.get(), HomePage.objects.get()):
        response = page.make_preview_request(original_request=request)
        assert response.status_code == 200, page
    html = story.make_preview_request(original_request=request).content.decode()
    # Staff see why a card has gone; the public page simply leaves it out.
    assert "not shown to the public" in html


def test_a_curator_locks_a_story_while_editing(client, curator):
    story = StoryPageFactory(title="Draft", live=False)
    client.force_login(curator)
    client.post(reverse("wagtailadmin_pages:lock", args=[story.pk]))
    story.refresh_from_db()
    assert story.locked and story.locked_by == curator


def test_a_publisher_compares_revisions(client, publisher):
    story = StoryPageFactory(title="First title")
    first = story.latest_revision
    story.title = "Second title"
    second = story.save_revision()
    client.force_login(publisher)
    response = client.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[story.pk, first.pk, second.pk])
    )
    assert response.status_code == 200
    assert "Second title" in response.content.decode()
