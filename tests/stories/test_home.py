import datetime

import pytest
from django.core.cache import cache
from wagtail.models import Page

from home.models import HomeFeaturedObject, HomeFeaturedStory, HomePage
from home.selectors import from_the_archive_ids
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory
from tests.objects.pages_support import object_with_image, ready_image

from .support import queries_for

pytestmark = pytest.mark.django_db


def home() -> HomePage:
    return HomePage.objects.get()


def test_home_shows_featured_stories_and_objects_chosen_by_staff(client):
    story = StoryPageFactory(title="Featured story")
    hidden_story = StoryPageFactory(title="Unpublished featured story", live=False)
    obj = object_with_image(title="Featured object")
    draft = object_with_image(title="Draft featured object", live=False)
    for n, s in enumerate((story, hidden_story)):
        HomeFeaturedStory.objects.create(page=home(), story=s, sort_order=n)
    for n, o in enumerate((obj, draft)):
        HomeFeaturedObject.objects.create(page=home(), object=o, sort_order=n)

    html = client.get("/").content.decode()

    assert "Featured stories" in html and f'href="{story.url}"' in html
    assert "Unpublished featured story" not in html
    assert "Chosen from the collection" in html and obj.get_absolute_url() in html
    assert "Draft featured object" not in html


def test_home_shows_the_latest_stories(client):
    older = StoryPageFactory(title="Older", publication_date=datetime.date(2020, 1, 1))
    newest = [StoryPageFactory(title=f"New {n}") for n in range(3)]

    html = client.get("/").content.decode()

    assert "Latest stories" in html
    for story in newest:
        assert f'href="{story.url}"' in html
    assert f'href="{older.url}"' not in html
    assert 'href="/stories/">All stories</a>' in html


def test_from_the_archive_is_the_same_all_day_and_changes_with_the_day():
    for _ in range(40):
        object_with_image()
    CollectionObjectFactory(title="No image")  # never picked: no image
    today = datetime.date(2026, 11, 29)

    first = from_the_archive_ids(day=today)
    cache.clear()
    again = from_the_archive_ids(day=today)
    tomorrow = from_the_archive_ids(day=today + datetime.timedelta(days=1))

    assert len(first) == 4 and len(set(first)) == 4
    assert first == again  # deterministic, not just cached
    assert tomorrow != first


def test_from_the_archive_is_cached_for_the_day(django_assert_num_queries):
    object_with_image()
    day = datetime.date(2026, 11, 29)
    from_the_archive_ids(day=day)
    with django_assert_num_queries(0):
        from_the_archive_ids(day=day)


def test_home_with_an_empty_archive_still_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "From the archive" not in response.content.decode()


def test_home_costs_the_same_queries_for_1_or_30_cards(client):
    def add_cards(count):
        for n in range(count):
            story = StoryPageFactory(hero_image=ready_image(), hero_alt_text="x")
            HomeFeaturedStory.objects.create(page=home(), story=story, sort_order=n)
            HomeFeaturedObject.objects.create(page=home(), object=object_with_image(), sort_order=n)

    add_cards(1)
    one = queries_for(client, "/")
    add_cards(29)
    cache.clear()
    client.get("/")  # warms the daily selection again
    assert queries_for(client, "/") == one


def test_the_home_page_is_editable_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{Page.objects.get(depth=2).pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Featured stories" in html and "Featured objects" in html


def test_home_never_shows_a_story_or_an_object_twice(client):
    stories = [StoryPageFactory(title=f"Story {n}") for n in range(4)]
    HomeFeaturedStory.objects.create(page=home(), story=stories[-1], sort_order=0)
    objects = [object_with_image(title=f"Object {n}") for n in range(6)]
    HomeFeaturedObject.objects.create(page=home(), object=objects[0], sort_order=0)

    html = client.get("/").content.decode()

    # Featured and latest stories, chosen, daily and recent objects: each once.
    for story in stories:
        assert html.count(f'href="{story.url}"') <= 1, story.title
    for obj in objects:
        assert html.count(f'href="{obj.get_absolute_url()}"') == 1, obj.title
    assert html.count(f'href="{stories[-1].url}"') == 1  # featured, not also latest
