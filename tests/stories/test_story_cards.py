"""A story without a hero image gets a designed card wherever story cards appear
(issue: the first five minutes): its theme's colour, its title and its first
object's picture, never a grey box labelled "Story"."""

import pytest
from django.urls import reverse

from home.models import HomeFeaturedStory, HomePage
from search.services import search_index_update
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory, ThemeFactory, gallery_block, object_block
from tests.objects.pages_support import object_with_image

from .support import queries_for

pytestmark = pytest.mark.django_db


def art(html: str) -> str:
    start = html.index('<div class="story-art')
    return html[start : html.index("</div>\n", html.index("</span>", start))]


@pytest.fixture
def story():
    poster = object_with_image(title="Masque poster")
    story = StoryPageFactory(
        title="Nights at the Masque",
        body=[gallery_block([CollectionObjectFactory(), poster]), object_block(poster)],
        themes=[ThemeFactory(name="Protest", colour="green")],
    )
    search_index_update(model_label="stories.StoryPage", pks=[story.pk])
    return story


def test_the_card_remembers_the_first_object_the_story_shows():
    first, second = CollectionObjectFactory(), CollectionObjectFactory()
    story = StoryPageFactory(body=[gallery_block([first, second]), object_block(second)])
    assert story.card_object == first

    first.delete()
    story.save()
    assert story.card_object == second


def test_a_story_without_a_hero_image_gets_a_designed_card_everywhere(client, story):
    HomeFeaturedStory.objects.create(page=HomePage.objects.get(), story=story, sort_order=0)
    gallery_object = story.card_object
    pages = {
        "home": "/",
        "stories": story.get_parent().url,
        "featured in": gallery_object.get_absolute_url(),
        "search": reverse("search:search") + "?q=masque",
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()

        card = art(html)
        assert "story-art--green" in card, name
        assert 'aria-hidden="true"' in card, name  # the title is the link beside it
        assert "Protest</span>" in card and "Nights at the Masque</span>" in card, name
        assert "<span>Story</span>" not in html, name


def test_the_card_shows_the_first_objects_picture_when_it_has_one(client):
    poster = object_with_image(title="Masque poster")
    StoryPageFactory(title="Pictured", body=[object_block(poster)])
    StoryPageFactory(title="Unthemed", body=[object_block(CollectionObjectFactory())])

    html = client.get("/stories/").content.decode()

    cards = {
        title: card
        for card in html.split('<li class="story-card">')[1:]
        for title in ("Pictured", "Unthemed")
        if f"{title}</span>" in card
    }
    assert '<div class="story-art__object"><picture' in cards["Pictured"]
    assert "story-art__object" not in cards["Unthemed"]
    assert "story-art--red" in cards["Unthemed"]  # no theme: the site's red


def test_story_cards_cost_the_same_queries_for_1_or_12_stories(client):
    theme = ThemeFactory()
    StoryPageFactory(body=[object_block(object_with_image())], themes=[theme])
    one = queries_for(client, "/stories/")
    for _ in range(11):
        StoryPageFactory(body=[object_block(object_with_image())], themes=[theme])

    assert queries_for(client, "/stories/") == one
