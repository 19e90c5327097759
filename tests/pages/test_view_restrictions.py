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
