"""What the search page loads for its hits (search/selectors.py, each kind's
records_for_hits): object hits their picture, memories nothing beyond the index,
in a number of queries that depends on neither the kinds nor the number of hits
(issue 20: 5 at most, cold)."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse

from objects.models import CollectionObject
from objects.selectors import images_prefetch
from search.services import search_index_update
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory, ThemeFactory
from tests.objects.pages_support import object_with_image, ready_image

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:search")
# Issue 20's budget, on the site's database; SQLite loads renditions on their own.
BUDGET = 5 if connection.vendor == "postgresql" else 6


def index_objects_and_memories(objects, memories):
    search_index_update(model_label="objects.CollectionObject", pks=[o.pk for o in objects])
    search_index_update(model_label="memories.Memory", pks=[m.pk for m in memories])


def festival(objects: int, memories: int, *, image=True):
    made = [object_with_image(title=f"Festival poster {n}") for n in range(objects)]
    shared = [
        MemoryFactory(object=made[0], text=f"The festival poster on our wall, year {n}")
        for n in range(memories)
    ]
    index_objects_and_memories(made, shared)
    return made, shared


def test_object_hits_show_their_pictures_beside_memory_hits(client):
    objects, memories = festival(3, 1)
    hidden = object_with_image(title="Festival poster, hidden", content_warning="Flashing lights")
    bare = CollectionObjectFactory(title="Festival poster, no picture", date_display="c. 1990")
    index_objects_and_memories([hidden, bare], [])

    content = client.get(SEARCH, {"q": "festival poster"}).content.decode()

    # Each picture as {% picture %} draws it from the renditions images_prefetch loads.
    picture = Template('{% load archive_images %}{% picture image "listing" alt="" %}')
    loaded = CollectionObject.objects.prefetch_related(images_prefetch(usages=("listing",)))
    for obj in loaded.filter(pk__in=[o.pk for o in objects]):
        html = picture.render(Context({"image": obj.primary_image.image}))
        assert "srcset" in html
        assert html in content
    assert "Image hidden: content warning" in content
    assert '<span class="object-card__placeholder-date">c. 1990</span>' in content
    assert "The festival poster on our wall, year 0" in content
    assert '<p class="search-hit__kind">Memory</p>' in content


def queries_for(
    client, django_assert_max_num_queries, query: str, *, backend="database", budget=BUDGET
) -> int:
    url = f"{SEARCH}?q={query}"
    # The site-wide caches, as a running site has them; not the hits' pictures.
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        client.get(f"{url}&sort=title")
    with django_assert_max_num_queries(budget) as counted:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["results"].backend == backend
    return len(counted.captured_queries)


@pytest.mark.parametrize("query", ["festival+poster", "festivl+poster"])
def test_objects_and_memories_cost_the_same_queries_for_two_hits_or_a_page(
    client, django_assert_max_num_queries, query
):
    festival(1, 1)
    two = queries_for(client, django_assert_max_num_queries, query)
    festival(25, 8)
    assert queries_for(client, django_assert_max_num_queries, query) == two


def test_objects_without_images_cost_one_query(client, django_assert_num_queries):
    """has_image (kept by database triggers) says there are no image rows to load."""
    made = CollectionObjectFactory.create_batch(3, title="Lantern poster")
    index_objects_and_memories(made, [])
    client.get(SEARCH, {"q": "lantern", "sort": "title"})
    # The database backend's two (vocabulary; facet counts and hits), then the objects.
    with django_assert_num_queries(3):
        content = client.get(SEARCH, {"q": "lantern"}).content.decode()
    assert content.count('class="object-card__placeholder"') == 3


def test_memory_hits_alone_load_no_records(client, django_assert_num_queries):
    shared = [MemoryFactory(text=f"A lantern parade, year {n}") for n in range(3)]
    index_objects_and_memories([], shared)
    client.get(SEARCH, {"q": "lantern", "sort": "title"})
    # The database backend's own: the vocabulary; the facet counts and the hits.
    with django_assert_num_queries(2):
        content = client.get(SEARCH, {"q": "lantern"}).content.decode()
    assert content.count('<p class="search-hit__kind">Memory</p>') == 3


@pytest.mark.search_engine
def test_with_the_engine_objects_and_memories_cost_their_records_only(
    client, search_engine, django_assert_max_num_queries
):
    engine = search_engine.name
    festival(1, 1)
    two = queries_for(client, django_assert_max_num_queries, "festival+poster", backend=engine)
    festival(25, 8)
    page = queries_for(client, django_assert_max_num_queries, "festival+poster", backend=engine)
    # Hits, facets and spelling come from the engine; the database gives the
    # objects, then their images with renditions.
    assert page == two == 2


def test_story_hits_show_their_cards_within_the_budget(client, django_assert_max_num_queries):
    """Story cards beside object and memory hits: the hero image's renditions and
    the themes come in each story's row (stories.selectors.story_cards)."""
    festival(2, 1)
    pictured = StoryPageFactory(
        title="Festival poster nights", hero_image=ready_image(), hero_alt_text="A full hall"
    )
    themed = StoryPageFactory(
        title="Festival poster walls",
        card_object=object_with_image(title="A wall of posters"),
        themes=[ThemeFactory(name="The building", colour="green")],
    )
    search_index_update(model_label="stories.StoryPage", pks=[pictured.pk, themed.pk])

    # SQLite loads the hero's renditions and the themes on their own.
    budget = BUDGET if connection.vendor == "postgresql" else BUDGET + 2
    queries_for(client, django_assert_max_num_queries, "festival+poster", budget=budget)
    content = client.get(SEARCH, {"q": "festival poster"}).content.decode()

    picture = Template('{% load archive_images %}{% picture image "listing" alt="" %}')
    assert picture.render(Context({"image": pictured.hero_image})) in content
    assert "story-art--green" in content and "The building" in content
