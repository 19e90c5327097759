"""Where the page cache keeps pages (foundation/page_store.py): on Redis a hit is one round
trip that also counts the view; on local memory (the embedded default) the same rules
through Django's cache API. Pages are stored compressed for browsers that take gzip."""

import gzip

import pytest
from django.core.cache import cache

from objects.view_counts import KEY_PREFIX
from tests.factories.objects import CollectionObjectFactory
from tests.pages.cache_support import BROWSE, cache_state

pytestmark = pytest.mark.django_db


def test_a_hit_counts_the_view_and_a_change_retires_the_page(client, any_page_store):
    obj = CollectionObjectFactory(title="The organ loft")
    url = obj.get_absolute_url()
    assert cache_state(client, url) == "miss"
    assert cache_state(client, url) == "hit"
    assert cache.get(f"{KEY_PREFIX}{obj.pk}") == 2

    obj.title = "The organ loft, 1899"
    obj.save()

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "The organ loft, 1899" in response.content.decode()
    assert cache_state(client, BROWSE) == "miss"  # browse lists the title
    assert cache_state(client, url) == "hit"
    assert cache.get(f"{KEY_PREFIX}{obj.pk}") == 4


def test_a_hit_on_redis_is_one_round_trip_counting_the_view(client, redis_commands):
    obj = CollectionObjectFactory()
    url = obj.get_absolute_url()
    client.get(url)
    redis_commands.clear()

    assert cache_state(client, url) == "hit"

    assert len(redis_commands) == 1, redis_commands
    assert cache.get(f"{KEY_PREFIX}{obj.pk}") == 2


def test_a_page_is_stored_compressed_and_plain_apart(client):
    CollectionObjectFactory(title="Chairs from the Grand Hall")
    compressed = client.get(BROWSE, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(BROWSE)
    assert compressed["X-Page-Cache"] == plain["X-Page-Cache"] == "miss"

    compressed = client.get(BROWSE, HTTP_ACCEPT_ENCODING="gzip, br")
    plain = client.get(BROWSE)

    assert compressed["X-Page-Cache"] == plain["X-Page-Cache"] == "hit"
    assert compressed["Content-Encoding"] == "gzip"
    assert "Chairs from the Grand Hall" in gzip.decompress(compressed.content).decode()
    assert not plain.has_header("Content-Encoding")
    assert "Chairs from the Grand Hall" in plain.content.decode()


def test_the_cache_keeps_one_redis_client(redis_commands):
    # Django makes a client for every call, copying its response callbacks: 2 ms of a
    # page making eight cache calls (bac_collection/cache.py).
    cache.set("pages:one-client", 1)
    first = cache._cache.get_client(write=True)
    assert cache.get("pages:one-client") == 1
    assert cache._cache.get_client(write=True) is first


def test_a_stored_page_that_cannot_be_read_is_rendered_again(client, redis_commands):
    obj = CollectionObjectFactory(title="The foyer clock")
    url = obj.get_absolute_url()
    client.get(url)
    redis = cache._cache.get_client(write=True)
    for key in redis.scan_iter(match=cache.redis_key("pagecache:page:*")):
        redis.hset(key, "value", b"not a pickled page")

    response = client.get(url)

    assert response.status_code == 200
    assert "The foyer clock" in response.content.decode()
