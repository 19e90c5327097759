"""Parts of pages kept between renders (foundation/fragment_cache.py), here the object
page's related objects, home's cards, a story's body, each object card and each search
hit's picture: served while nothing they show has changed, on Redis (CI) and on local
memory; a change to what one shows retires it, and the page cached around it."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foundation.fragment_cache import cached_fragment
from foundation.page_cache import OBJECTS, page_cache_bump
from home.models import HomeFeaturedObject, HomeFeaturedStory, HomePage
from memories.models import Memory
from search.services import search_index_update
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, MakerFactory, ProductionFactory
from tests.factories.stories import StoryPageFactory
from tests.objects.pages_support import object_with_image
from tests.pages.cache_support import cache_state
from tests.stories.support import story_with_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def object_with_related():
    production = ProductionFactory()
    makers = MakerFactory.create_batch(2)
    obj = object_with_image(title="The foyer clock", production=production, makers=makers)
    related = [
        object_with_image(title=f"Festival poster {n}", production=production, makers=makers)
        for n in range(3)
    ]
    return obj, related


def warm_site_caches(client, url) -> None:
    """A render that keeps no fragment, leaving the site-wide caches warm (footer
    links, the vocabulary), so the queries counted next are the page's own."""
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        client.get(url)


def rendered(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@override_settings(PAGE_CACHE_SECONDS=0)
def test_related_objects_are_kept_until_a_card_changes(client, any_page_store, object_with_related):
    obj, related = object_with_related
    url = obj.get_absolute_url()
    warm_site_caches(client, url)
    first, cold = rendered(client, url)
    assert "Festival poster 0" in first

    again, warm = rendered(client, url)
    assert warm < cold  # no query for the related objects
    assert again.count('class="object-card"') == first.count('class="object-card"') == 3

    related[0].title = "Festival poster, redrawn"
    related[0].save()

    changed, queries = rendered(client, url)
    assert "Festival poster, redrawn" in changed
    assert queries == cold


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_change_to_what_the_fragment_does_not_show_keeps_it(
    client, any_page_store, object_with_related
):
    obj, _ = object_with_related
    url = obj.get_absolute_url()
    warm_site_caches(client, url)
    _, cold = rendered(client, url)

    other = CollectionObjectFactory(title="Elsewhere entirely")
    other.title = "Elsewhere, renamed"
    other.save()
    page_cache_bump(OBJECTS)  # the collection's lists: not the production's or makers'

    assert rendered(client, url)[1] < cold


def test_a_page_cached_around_a_kept_fragment_shows_its_cards(client, object_with_related):
    obj, related = object_with_related
    url = obj.get_absolute_url()
    # Another address for the same page stores the fragment; this one then renders
    # with the fragment served from the cache, and is stored itself.
    assert cache_state(client, f"{url}?from=search") == "miss"
    assert cache_state(client, url) == "miss"
    assert cache_state(client, url) == "hit"

    related[1].title = "Festival poster, reprinted"
    related[1].save()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Festival poster, reprinted" in response.content.decode()


@override_settings(PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0)
def test_with_no_lifetime_every_render_renders_them(client, object_with_related):
    obj, _ = object_with_related
    url = obj.get_absolute_url()
    warm_site_caches(client, url)
    _, cold = rendered(client, url)
    assert rendered(client, url)[1] == cold


def test_a_fragment_rendered_while_something_changed_is_not_kept(any_page_store):
    renders = []

    def render_during_a_change():
        renders.append(1)
        page_cache_bump("object:1")
        return "<p>what was true before the change</p>"

    cached_fragment("test:changing", render_during_a_change, shows=["object:1"])
    assert cached_fragment("test:changing", lambda: "<p>now</p>", shows=["object:1"]) == (
        "<p>now</p>"
    )
    assert renders == [1]


@override_settings(PAGE_CACHE_SECONDS=0)
def test_home_keeps_its_cards_when_a_memory_is_approved(client, any_page_store):
    story = StoryPageFactory(title="The organ restored")
    featured = object_with_image(title="The foyer clock")
    HomeFeaturedStory.objects.create(page=HomePage.objects.get(), story=story, sort_order=0)
    HomeFeaturedObject.objects.create(page=HomePage.objects.get(), object=featured, sort_order=0)
    memory = MemoryFactory(
        object=featured, status=Memory.Status.PENDING, text="We hid in the organ loft."
    )
    warm_site_caches(client, "/")
    first, cold = rendered(client, "/")
    assert "The organ restored" in first and "The foyer clock" in first
    warm = rendered(client, "/")[1]
    assert warm < cold

    memory.status = Memory.Status.APPROVED
    memory.save()

    html, queries = rendered(client, "/")
    assert "We hid in the organ loft." in html
    assert queries < cold  # the cards still kept

    featured.title = "The foyer clock, wound again"
    featured.save()

    html, queries = rendered(client, "/")
    assert "The foyer clock, wound again" in html
    assert queries > warm  # the cards rendered again


@override_settings(PAGE_CACHE_SECONDS=0)
def test_browse_keeps_each_card_and_renders_only_a_changed_one(client, any_page_store):
    objects = [object_with_image(title=f"Festival poster {n}") for n in range(3)]
    browse = reverse("objects:browse")
    warm_site_caches(client, browse)
    first, cold = rendered(client, browse)
    assert first.count('class="object-card"') == 3

    again, warm = rendered(client, browse)
    assert warm < cold  # no images query: every card was kept
    assert again == first

    objects[2].title = "Festival poster, the last one"
    objects[2].save()

    html, _ = rendered(client, browse)
    assert "Festival poster, the last one" in html
    assert "Festival poster 0" in html and "Festival poster 1" in html


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_story_keeps_its_body_until_an_object_it_shows_changes(client, any_page_store):
    story, objects = story_with_objects(2, gallery_size=2)
    warm_site_caches(client, story.url)
    first, cold = rendered(client, story.url)
    assert "Object 3" in first

    again, warm = rendered(client, story.url)
    assert warm < cold  # no objects, no images
    assert again == first

    objects[3].title = "Object 3, relabelled"
    objects[3].save()

    html, queries = rendered(client, story.url)
    assert "Object 3, relabelled" in html
    assert queries == cold


@override_settings(PAGE_CACHE_SECONDS=0)
def test_search_keeps_each_hit_picture_until_its_object_changes(client, any_page_store):
    objects = [object_with_image(title=f"Festival poster {n}") for n in range(3)]
    search_index_update(model_label="objects.CollectionObject", pks=[o.pk for o in objects])
    url = f"{reverse('search:search')}?q=festival"
    warm_site_caches(client, url)
    first, cold = rendered(client, url)
    assert first.count("<picture") == 3

    again, warm = rendered(client, url)
    assert warm < cold  # no images query
    assert again.count("<picture") == 3

    objects[0].content_warning = "Flashing lights"
    objects[0].save()

    html, _ = rendered(client, url)
    assert html.count("<picture") == 2
    assert "Image hidden: content warning" in html
