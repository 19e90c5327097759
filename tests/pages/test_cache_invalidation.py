"""A change retires the cached pages that show it and leaves the others cached
(pages/cache.py, pages/invalidation.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models.signals import post_init

from foundation.page_cache import page_cache_bump
from memories import services as memory_services
from memories.models import Memory
from objects.models import CollectionObject
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, ProductionFactory
from tests.pages.cache_support import BROWSE, cache_state, cached

pytestmark = pytest.mark.django_db


def test_approving_a_memory_retires_its_object_page_and_no_other_object_page(
    client, django_capture_on_commit_callbacks
):
    remembered, other = CollectionObjectFactory.create_batch(2)
    memory = MemoryFactory(
        object=remembered, status=Memory.Status.PENDING, text="The organ played at midnight"
    )
    moderator = get_user_model().objects.create_superuser("m", "m@example.org", "pw")
    pages = [remembered.get_absolute_url(), other.get_absolute_url(), BROWSE, "/memories/"]
    cached(client, *pages)

    with django_capture_on_commit_callbacks(execute=True):
        memory_services.memory_approve(memory=memory, user=moderator)

    response = client.get(remembered.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "The organ played at midnight" in response.content.decode()
    assert "The organ played at midnight" in client.get("/memories/").content.decode()
    assert cache_state(client, other.get_absolute_url()) == "hit"
    assert cache_state(client, BROWSE) == "hit", "a memory changes no collection list"


def test_editing_a_description_retires_the_pages_showing_the_object_only(client):
    edited, other = CollectionObjectFactory.create_batch(2)
    cached(client, edited.get_absolute_url(), other.get_absolute_url(), BROWSE)

    edited.description = "<p>Printed on the night of the fire.</p>"
    edited.save()

    response = client.get(edited.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Printed on the night of the fire." in response.content.decode()
    assert cache_state(client, BROWSE) == "miss", "browse lists the edited object"
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_a_retitled_object_shows_on_the_pages_listing_it_and_its_neighbours_pages(client):
    production = ProductionFactory()
    neighbour, renamed = CollectionObjectFactory.create_batch(2, production=production)
    unrelated = CollectionObjectFactory()
    cached(client, neighbour.get_absolute_url(), unrelated.get_absolute_url(), BROWSE)

    renamed.title = "Zebra crossing poster"
    renamed.save()

    # The neighbour's page lists it under "More from" the production.
    assert "Zebra crossing poster" in client.get(neighbour.get_absolute_url()).content.decode()
    assert "Zebra crossing poster" in client.get(BROWSE + "?sort=title").content.decode()
    assert cache_state(client, unrelated.get_absolute_url()) == "hit"


def test_a_new_title_retires_the_title_sorted_lists_not_the_others(client):
    CollectionObjectFactory.create_batch(25, date_earliest=1900)
    renamed = CollectionObjectFactory(title="Zither recital poster", date_earliest=2020)
    by_date, by_title = BROWSE, f"{BROWSE}?sort=title"
    cached(client, by_date, by_title)
    assert "Zither recital poster" not in client.get(by_date).content.decode()

    renamed.title = "Aardvark recital poster"
    renamed.save()

    assert cache_state(client, by_date) == "hit", "it is not on the first page by date"
    assert "Aardvark recital poster" in client.get(by_title).content.decode()


def test_a_new_object_in_a_production_retires_the_lists_it_joins(client):
    production = ProductionFactory()
    member = CollectionObjectFactory(production=production)
    unrelated = CollectionObjectFactory()
    cached(client, member.get_absolute_url(), unrelated.get_absolute_url(), BROWSE)

    CollectionObjectFactory(production=production, title="Newly catalogued handbill")

    assert "Newly catalogued handbill" in client.get(member.get_absolute_url()).content.decode()
    assert "Newly catalogued handbill" in client.get(BROWSE).content.decode()
    assert cache_state(client, unrelated.get_absolute_url()) == "hit"


def test_unpublishing_an_object_takes_it_off_every_list(client):
    obj = CollectionObjectFactory(title="Withdrawn programme")
    cached(client, BROWSE)

    obj.unpublish()

    assert "Withdrawn programme" not in client.get(BROWSE).content.decode()
    assert client.get(obj.get_absolute_url()).status_code == 404


def test_a_page_that_does_not_say_what_it_shows_is_retired_by_any_change(client):
    obj = CollectionObjectFactory()
    cached(client, "/about/")

    obj.description = "<p>Anything at all.</p>"
    obj.save()

    assert cache_state(client, "/about/") == "miss"


def test_a_change_everywhere_retires_every_page(client):
    obj = CollectionObjectFactory()
    cached(client, obj.get_absolute_url(), BROWSE)

    page_cache_bump()

    assert cache_state(client, obj.get_absolute_url()) == "miss"
    assert cache_state(client, BROWSE) == "miss"


def test_a_page_rendered_while_a_change_was_made_is_not_stored(client):
    obj = CollectionObjectFactory()
    url = obj.get_absolute_url()

    def change_while_rendering(sender, instance, **kwargs):
        post_init.disconnect(change_while_rendering, sender=CollectionObject)
        page_cache_bump(f"object:{instance.pk}")

    post_init.connect(change_while_rendering, sender=CollectionObject)
    try:
        assert cache_state(client, url) == "miss"
    finally:
        post_init.disconnect(change_while_rendering, sender=CollectionObject)

    assert cache_state(client, url) == "miss", "stored, it could show the old state"
    assert cache_state(client, url) == "hit"


def test_an_object_page_from_the_cache_costs_no_query(client, django_assert_num_queries):
    obj = CollectionObjectFactory()
    client.get(obj.get_absolute_url())

    with django_assert_num_queries(0):
        response = client.get(obj.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("url", ["/", BROWSE, "/about/"])
def test_any_page_from_the_cache_costs_no_query(client, django_assert_num_queries, url):
    CollectionObjectFactory()
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)

    assert response["X-Page-Cache"] == "hit"
