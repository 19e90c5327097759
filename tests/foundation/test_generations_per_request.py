"""A request reads each page cache generation once (foundation/page_cache.py)."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from foundation.page_cache import (
    SITE,
    page_cache_bump,
    page_cache_generation,
    page_cache_request_finished,
    page_cache_request_started,
    tag_key,
)
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_a_request():
    page_cache_request_started()
    yield
    page_cache_request_finished()


def _another_process_bumps(tag: str) -> int:
    bumped = page_cache_generation(tag) + 1
    cache.set(tag_key(tag), bumped, timeout=None)
    return bumped


@override_settings(PAGE_CACHE_SECONDS=0)
def test_a_rendered_page_reads_each_generation_once(client, redis_commands):
    url = CollectionObjectFactory().get_absolute_url()
    client.get(url)  # fills what is cached under the generations
    redis_commands.clear()

    assert client.get(url).status_code == 200

    read = [b"".join(c) if isinstance(c, list) else c for c in redis_commands]
    tag_reads = [c for c in read if b"pagecache:tag:" in c or b"pagecache:generation" in c]
    assert tag_reads, read
    assert len(tag_reads) == len(set(tag_reads)), tag_reads


def test_a_request_keeps_the_generations_it_read(in_a_request):
    read = page_cache_generation(SITE)
    _another_process_bumps(SITE)

    assert page_cache_generation(SITE) == read


def test_a_request_sees_its_own_bump(in_a_request):
    read = page_cache_generation(SITE)
    page_cache_bump(SITE)

    assert page_cache_generation(SITE) != read


def test_outside_a_request_every_read_asks_the_cache():
    """Celery workers and commands run for hours: they must see every bump."""
    page_cache_generation(SITE)
    bumped = _another_process_bumps(SITE)

    assert page_cache_generation(SITE) == bumped


def test_the_next_request_reads_afresh(in_a_request):
    page_cache_generation(SITE)
    page_cache_request_finished()
    bumped = _another_process_bumps(SITE)
    page_cache_request_started()

    assert page_cache_generation(SITE) == bumped
