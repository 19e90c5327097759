"""Values cached under a generation are also kept by each process (foundation/
generational_cache.py): read from Redis once per generation, read again when a change
moves it, never kept under generation 0 (the cache unreliable)."""

import pytest
from django.core.cache import cache

from foundation.generational_cache import generational_get_or_set
from foundation.page_cache import SITE, page_cache_bump, page_cache_generation
from pages.links import site_page_urls

pytestmark = pytest.mark.django_db


def test_the_footer_links_are_read_from_redis_once_per_generation(redis_commands):
    site_page_urls()
    redis_commands.clear()

    site_page_urls()
    site_page_urls()

    sent = b"".join(b"".join(c) if isinstance(c, list) else c for c in redis_commands)
    assert b"pages:site-links" not in sent, redis_commands


def test_a_change_moves_the_generation_and_the_value_is_computed_again():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    def read():
        generation = page_cache_generation(SITE)
        return generational_get_or_set(generation, f"test:value:{generation}", compute, 60)

    assert read() == read() == 1
    page_cache_bump(SITE)
    assert read() == 2


def test_nothing_is_kept_under_generation_zero():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    generational_get_or_set(0, "test:value:0", compute, 60)
    cache.delete("test:value:0")  # what the cache held; the process must hold nothing
    generational_get_or_set(0, "test:value:0", compute, 60)

    assert computed == [1, 1]
