"""Pages below home are found by their url_path in one query (foundation/routing.py):
the same page, the same sub-routes and the same 404s as Wagtail's walk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import HomePage
from pages.models import SitePage
from stories.models import StoryIndexPage
from tests.factories.calls import CallPageFactory
from tests.factories.stories import StoryPageFactory

pytestmark = pytest.mark.django_db


def page_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"."slug" =' in q["sql"]]


def test_a_story_is_found_without_walking_the_tree(client):
    story = StoryPageFactory(title="Posters of 1998")
    response = client.get(story.url)
    assert response.status_code == 200
    assert response.context["page"].specific == story
    assert page_queries(client, story.url + "?again") == []  # no child-by-slug lookups


def test_sub_routes_of_routable_pages_still_answer(client):
    index = StoryIndexPage.objects.get()
    story = StoryPageFactory(title="Posters of 1998")
    assert story.title in client.get(index.url).content.decode()
    feed = client.get(index.url + "feed/")
    assert feed.status_code == 200
    assert story.title in feed.content.decode()
    call = CallPageFactory(title="Were you there in 1999?")
    assert client.get(call.url).status_code == 200
    assert client.get(call.url + "feed/").status_code == 200


def test_missing_and_unpublished_pages_are_404s(client):
    index = StoryIndexPage.objects.get()
    draft = StoryPageFactory(title="Not yet", live=False)
    assert client.get(index.url + "no-such-story/").status_code == 404
    assert client.get(index.url + draft.slug + "/").status_code == 404
    story = StoryPageFactory(title="Posters of 1998")
    assert client.get(story.url + "no-such-child/").status_code == 404


def test_a_page_under_an_unpublished_parent_is_served_as_wagtail_does(client):
    home = HomePage.objects.get()
    parent = home.add_child(
        instance=SitePage(title="Old section", slug="old-section", body="<p>Gone.</p>", live=False)
    )
    child = parent.add_child(
        instance=SitePage(title="Kept page", slug="kept", body="<p>Here.</p>", live=True)
    )
    assert client.get("/old-section/").status_code == 404
    response = client.get("/old-section/kept/")
    assert response.status_code == 200
    assert response.context["page"].specific == child
