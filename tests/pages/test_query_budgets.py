"""Query budgets of each page type, measured cold: the page itself was never cached
(a page cache miss), while the site-wide caches hold what an earlier visit to
another page left there (footer links, the vocabulary), as on a running site
after a change. Each page has images, makers, related objects, stories and
memories where it can show them. docs/performance.md has the figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.models import HomeFeaturedObject, HomeFeaturedStory, HomePage
from objects.models import CollectionObject
from search.services import search_index_update
from stories.models import StoryIndexPage
from tests.factories.memories import MemoryFactory
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    PlaceFactory,
    ProductionFactory,
    SubjectFactory,
)
from tests.objects.pages_support import object_with_image
from tests.stories.support import story_with_objects

pytestmark = pytest.mark.django_db

# Issue 20 asks for object 6, browse 4, search 5, home 8, story 8: all met, a search
# page with objects and memories among its hits included (memory hits load no
# records, object hits their images with renditions in one query).
# Home and story pages get there with the site and home from the cache, the pages
# below home found in one query, no view-restriction or open-calls query while
# there are none (docs/performance.md). The budgets are what the pages make now,
# so a query added anywhere fails here.
BUDGETS = {
    # An object page asks about memories only when its object has some
    # (memories.selectors.objects_with_memories).
    "object": 3,
    # No images query when neither it nor its related objects have any
    # (objects.related.with_images).
    "object without images": 2,
    "object with a memory": 5,
    # Images come with their renditions in one query (objects.related.images_prefetch_from).
    "browse": 3,
    "search": 4,
    "search with objects and memories": 4,
    # Story cards bring their hero's renditions and themes in their row (story_cards).
    "home": 5,
    # The objects of both object block types in one query (stories.blocks.body_objects_loaded),
    # the story's own row in the routing query once a sibling was seen (foundation/routing.py),
    # its authors and themes in one (stories.selectors.story_authors_and_themes).
    "story": 4,
}
# Those are PostgreSQL's, where production runs and CI measures them. On SQLite
# (`make test`'s embedded default) what PostgreSQL folds into a row as JSON takes
# queries of its own: an object's makers, subjects and places (3), its two related
# lists (1: one query on PostgreSQL), the renditions of listed images (1), story
# cards' themes and hero renditions (1 each), a story's authors and themes (1).
SQLITE_EXTRA = {
    "object": 5,
    "object without images": 4,
    "object with a memory": 5,
    "browse": 1,
    "search": 1,
    "search with objects and memories": 1,
    "home": 2,
    "story": 2,
}
if connection.vendor == "sqlite":
    BUDGETS = {page: budget + SQLITE_EXTRA.get(page, 0) for page, budget in BUDGETS.items()}


@pytest.fixture
def archive():
    production = ProductionFactory()
    makers = MakerFactory.create_batch(2)
    objects = [
        object_with_image(title=f"Festival poster {n}", production=production, makers=makers)
        for n in range(8)
    ]
    obj = objects[0]
    obj.subjects.add(SubjectFactory())
    obj.places.add(PlaceFactory())
    obj.save()
    MemoryFactory(object=obj)
    story, _ = story_with_objects(2)
    other_story, _ = story_with_objects(1)
    home = HomePage.objects.get()
    HomeFeaturedStory.objects.create(page=home, story=story, sort_order=0)
    HomeFeaturedObject.objects.create(page=home, object=objects[1], sort_order=0)
    search_index_update(
        model_label="objects.CollectionObject",
        pks=list(CollectionObject.objects.values_list("pk", flat=True)),
    )
    return {"object": obj, "objects": objects, "story": story, "other_story": other_story}


def cold_queries(client, url: str, *, after: str) -> int:
    """Queries for `url`, rendered for the first time, `after` another page of its
    kind: the site-wide caches (footer links, facet counts, the ids of objects in
    stories) are as a running site keeps them."""
    client.get(after)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.get("X-Page-Cache") != "hit", url  # rendered (search: maybe not stored)
    return len(queries)


def test_an_object_page_cold(client, archive):
    obj, other = archive["objects"][1], archive["objects"][2]
    queries = cold_queries(client, obj.get_absolute_url(), after=other.get_absolute_url())
    assert queries <= BUDGETS["object"]


def test_an_object_page_without_images_cold(client):
    production, maker = ProductionFactory(), MakerFactory()
    objects = [
        CollectionObjectFactory(title=f"Programme {n}", production=production) for n in range(4)
    ]
    for obj in objects:
        obj.object_makers.create(maker=maker, sort_order=0)
    obj, other = objects[0], objects[1]
    html = client.get(f"{obj.get_absolute_url()}?utm_source=check").content.decode()
    assert objects[2].get_absolute_url() in html  # related objects are shown

    queries = cold_queries(client, obj.get_absolute_url(), after=other.get_absolute_url())
    assert queries <= BUDGETS["object without images"]


def test_an_object_page_with_a_memory_cold(client, archive):
    other = archive["objects"][2].get_absolute_url()
    queries = cold_queries(client, archive["object"].get_absolute_url(), after=other)
    assert queries <= BUDGETS["object with a memory"]


def test_browse_cold(client, archive):
    browse = reverse("objects:browse")
    assert cold_queries(client, browse, after=f"{browse}?sort=title") <= BUDGETS["browse"]


@pytest.mark.parametrize("query", ["festival poster", "festivl poster"])
def test_a_search_cold(client, archive, query):
    url = reverse("search:search") + f"?q={query.replace(' ', '+')}"
    assert cold_queries(client, url, after=f"{url}&sort=title") <= BUDGETS["search"]


@pytest.mark.parametrize("query", ["festival poster", "festivl poster"])
def test_a_search_with_objects_and_memories_among_the_hits_cold(client, archive, query):
    memory = MemoryFactory(object=archive["object"], text="The festival poster, in our hall")
    search_index_update(model_label="memories.Memory", pks=[memory.pk])
    url = reverse("search:search") + f"?q={query.replace(' ', '+')}"
    by_title = client.get(f"{url}&sort=title").content.decode()
    assert "The festival poster, in our hall" in by_title  # a memory hit
    assert archive["object"].get_absolute_url() in by_title  # object hits
    queries = cold_queries(client, url, after=f"{url}&sort=title")
    assert queries <= BUDGETS["search with objects and memories"]


def test_the_home_page_cold(client, archive):
    assert cold_queries(client, "/", after="/?utm_source=newsletter") <= BUDGETS["home"]


def test_a_story_page_cold(client, archive):
    story = archive["story"].url
    assert cold_queries(client, story, after=archive["other_story"].url) <= BUDGETS["story"]


def test_a_story_page_breadcrumb_leads_to_the_stories_index(client, archive):
    """The breadcrumb takes the listing at hand instead of querying the ancestors."""
    index = StoryIndexPage.objects.get()
    html = client.get(archive["story"].url).content.decode()
    breadcrumb = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{index.url}">{index.title}</a>' in breadcrumb
    assert f'<li aria-current="page">{archive["story"].title}</li>' in breadcrumb
