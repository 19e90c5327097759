"""A story is found, as its own type, in one query once a sibling has been
(foundation/routing.py remembers the type found under each parent), and a wrong
guess still finds the page Wagtail's walk finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import foundation.routing
from home.models import HomePage
from stories.models import StoryIndexPage
from tests.factories.pages import SitePageFactory
from tests.factories.stories import StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_types_known(monkeypatch, settings):
    """Each test starts in a process that has routed nothing yet, and every visit
    is routed (no whole-page cache)."""
    monkeypatch.setattr(foundation.routing, "_CHILD_TYPES", {})
    settings.PAGE_CACHE_SECONDS = 0


def page_queries(client, url: str, status: int = 200):
    """The response to `url` and the queries that load pages (their rows, of any type)
    to find it; not those reading what a page shows (a story's authors and themes)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, url
    return response, [
        q["sql"] for q in queries if q["sql"].startswith('SELECT "wagtailcore_page"."id"')
    ]


def test_a_story_after_a_sibling_is_found_with_its_own_row_in_one_query(client):
    sibling = StoryPageFactory(title="Posters of 1998")
    story = StoryPageFactory(title="Tickets of 1999", standfirst="How the box office worked.")
    _, first = page_queries(client, sibling.url)
    # Nothing known yet: the pages, then the story's own row.
    assert any('WHERE "stories_storypage"."page_ptr_id" =' in sql for sql in first)

    response, queries = page_queries(client, story.url)

    assert len(queries) == 1, queries
    assert 'LEFT OUTER JOIN "stories_storypage"' in queries[0]
    page = response.context["page"]
    assert type(page) is type(story) and page.pk == story.pk
    assert page.standfirst == "How the box office worked."
    assert "How the box office worked." in response.content.decode()
    assert page.get_parent().specific == StoryIndexPage.objects.get()


def test_a_page_of_another_type_than_its_siblings_is_still_found(client):
    home = HomePage.objects.get()
    about = SitePageFactory(parent=home, title="About the archive", slug="our-archive")
    index = StoryIndexPage.objects.get()
    page_queries(client, index.url)  # home's child last seen: the stories index

    response, queries = page_queries(client, about.url)

    # The guess was wrong: its own row in a second query.
    assert any('WHERE "pages_sitepage"."page_ptr_id" =' in sql for sql in queries)
    assert response.context["page"].specific == about
    assert "About the archive" in response.content.decode()
    # and the other way round, now that a site page was the last seen under home
    response, _ = page_queries(client, index.url)
    assert response.context["page"].specific == index


def test_a_draft_sibling_and_a_missing_story_are_404s_after_a_guess(client):
    story = StoryPageFactory(title="Posters of 1998")
    draft = StoryPageFactory(title="Not yet", live=False)
    page_queries(client, story.url)

    page_queries(client, draft.url, status=404)
    page_queries(client, story.url.replace(story.slug, "no-such-story"), status=404)


def test_the_stories_feed_answers_after_a_story_was_seen(client):
    story = StoryPageFactory(title="Posters of 1998")
    page_queries(client, story.url)  # children of the index: stories

    response, _ = page_queries(client, StoryIndexPage.objects.get().url + "feed/")

    assert "Posters of 1998" in response.content.decode()


def test_the_remembered_types_are_bounded(client, monkeypatch):
    monkeypatch.setattr(foundation.routing, "CHILD_TYPES_LIMIT", 1)
    story = StoryPageFactory(title="Posters of 1998")
    page_queries(client, story.url)
    page_queries(client, StoryIndexPage.objects.get().url)

    assert {HomePage.objects.get().url_path: StoryIndexPage} == foundation.routing._CHILD_TYPES
