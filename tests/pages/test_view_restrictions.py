"""Pages skip Wagtail's view-restriction queries while the site has no restriction
(foundation/view_restrictions.py): a restriction made later still holds at once,
on the page and on its descendants, and removing it opens them again."""

import pytest
from wagtail.models import PageViewRestriction

from home.models import HomePage
from stories.models import StoryIndexPage
from tests.stories.support import story_with_objects

pytestmark = pytest.mark.django_db

PASSWORD_FORM = 'name="password"'


def test_a_password_on_the_stories_index_holds_at_once_on_its_stories(client):
    story, _ = story_with_objects(1)
    assert client.get(story.url).status_code == 200  # the site had none: now cached

    restriction = PageViewRestriction.objects.create(
        page=StoryIndexPage.objects.get(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="seventy",
    )
    response = client.get(story.url + "?again")
    assert PASSWORD_FORM in response.content.decode()
    assert story.title not in response.content.decode()

    restriction.delete()
    response = client.get(story.url + "?open")
    assert response.status_code == 200
    assert PASSWORD_FORM not in response.content.decode()


def test_a_restriction_on_home_holds_on_home(client):
    client.get("/")
    PageViewRestriction.objects.create(
        page=HomePage.objects.get(), restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/?again")
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_restriction_retires_the_pages_already_cached(client, django_capture_on_commit_callbacks):
    """A page kept in the page cache before staff restricted it is not served from
    there afterwards, at the same address: the restriction retires every page."""
    story, _ = story_with_objects(1)
    assert client.get(story.url).status_code == 200
    assert client.get(story.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=StoryIndexPage.objects.get(),
            restriction_type=PageViewRestriction.PASSWORD,
            password="seventy",
        )
    html = client.get(story.url).content.decode()
    assert PASSWORD_FORM in html and story.title not in html

    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    response = client.get(story.url)
    assert response.status_code == 200 and PASSWORD_FORM not in response.content.decode()
