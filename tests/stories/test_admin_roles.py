"""The admin as each role meets it (issue: the first five minutes): the dashboard
shows only what the user can act on, and a review step's message says what
happened. Groups are those docs/roles.md describes."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from stories.models import StoryPage

from .support import add_url, member_of, story_form

pytestmark = pytest.mark.django_db


def dashboard(client, group: str) -> str:
    client.force_login(member_of(group))
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_moderator_sees_the_memories_waiting_and_nothing_they_cannot_act_on(client):
    html = dashboard(client, "Moderators")

    assert "Community memories" in html
    assert "What needs you" not in html
    assert "Stories awaiting review" not in html and "Collection objects" not in html


def test_a_curator_sees_images_and_objects_but_no_reviews(client):
    html = dashboard(client, "Curators")

    assert "What needs you" in html
    assert "Images" in html and "Collection objects" in html
    assert "Stories awaiting review" not in html
    assert "Community memories" not in html


def test_a_publisher_sees_the_stories_awaiting_review(client):
    html = dashboard(client, "Publishers")

    assert "Stories awaiting review" in html and "Collection objects" in html


def sent_messages(response) -> list[str]:
    """The messages the next page shows (as the editor sees them after the redirect)."""
    return [str(message.message).strip() for message in response.context["messages"]]


def test_submitting_a_story_says_it_was_sent_for_review(client):
    client.force_login(member_of("Curators"))

    response = client.post(add_url(), story_form(), follow=True)

    said = sent_messages(response)
    assert said == ["‘Posters of 1998’ has been sent for review (Publisher approval)."], said


def review(client, action: str):
    """A Curator submits a story; a Publisher takes `action` on it in the editor."""
    client.force_login(member_of("Curators"))
    client.post(add_url(), story_form(), follow=True)  # and its messages shown
    story = StoryPage.objects.get(slug="posters-of-1998")
    client.force_login(member_of("Publishers"))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        story_form(
            action="action-workflow-action",
            **{"workflow-action-name": action, "workflow-action-extra-data": "{}"},
        ),
        follow=True,
    )
    story.refresh_from_db()
    return story, sent_messages(response)


def test_approve_and_publish_says_it_was_published_not_updated(client):
    story, said = review(client, "approve")

    assert story.live
    assert said == ["‘Posters of 1998’ has been approved and published."], said
    assert not WorkflowState.objects.filter(
        object_id=str(story.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()


def test_requesting_changes_says_the_story_went_back_to_its_author(client):
    story, said = review(client, "reject")

    assert not story.live
    assert said == ["‘Posters of 1998’ has been sent back to its author for changes."], said
