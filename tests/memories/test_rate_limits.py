"""Rate limits per visitor address and per email address, kept in the shared cache
(the real Redis when REDIS_URL is set, as in CI)."""

import os

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from memories.models import Memory
from tests.factories.memories import MemoryFactory

from .support import form_data

pytestmark = pytest.mark.django_db


def test_the_cache_is_redis_when_redis_url_is_set():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the rate limits use local memory")
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("memories-probe", 1)
    assert cache.get("memories-probe") == 1
    assert not cache.degraded  # answered by Redis itself, not the outage fallback


def test_too_many_from_one_address_gets_429_with_the_text_kept(client, settings):
    settings.MEMORIES_RATE_PER_IP = "2/h"
    for n in range(2):
        assert (
            client.post("/memories/share/", form_data(email=f"a{n}@example.org")).status_code == 302
        )

    response = client.post(
        "/memories/share/", form_data(email="a3@example.org", text="Please keep my words.")
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many memories sent at once" in html
    assert "same\n      internet connection" in html or "internet connection" in html
    assert "Please keep my words." in html
    assert Memory.objects.count() == 2
    # Another address is not affected.
    other = client.post(
        "/memories/share/", form_data(email="b@example.org"), REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


def test_too_many_from_one_email_address_gets_429(client, settings):
    settings.MEMORIES_RATE_PER_EMAIL = "1/h"
    first = client.post(
        "/memories/share/", form_data(email="same@example.org"), REMOTE_ADDR="10.0.0.1"
    )
    second = client.post(
        "/memories/share/", form_data(email="SAME@example.org"), REMOTE_ADDR="10.0.0.2"
    )

    assert first.status_code == 302
    assert second.status_code == 429
    assert "same email address" in second.content.decode().replace("\n      ", " ")


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("maggie@example.org", "Maggie+memories@Example.org"),
        ("jane.doe@gmail.com", "janedoe+bac@googlemail.com"),
        ("janedoe@googlemail.com", "Jane.Doe@gmail.com"),
    ],
)
def test_the_email_limit_counts_one_address_however_it_is_written(client, settings, first, again):
    settings.MEMORIES_RATE_PER_EMAIL = "1/h"

    allowed = client.post("/memories/share/", form_data(email=first), REMOTE_ADDR="10.0.0.1")
    refused = client.post("/memories/share/", form_data(email=again), REMOTE_ADDR="10.0.0.2")

    assert (allowed.status_code, refused.status_code) == (302, 429)


def test_each_429_says_when_to_try_again(client, settings):
    """Retry-After is what is left of the limit's window: within a minute for a
    per-minute limit (a fixed figure would say an hour, or five minutes)."""
    settings.MEMORIES_RATE_PER_IP = "1/m"
    settings.MEMORIES_RATE_LOOKUPS = "1/m"
    memory = MemoryFactory()
    refusals = []
    for url, data in [
        ("/memories/share/", form_data),  # a new form each time (a new idempotency key)
        ("/memories/lost-link/", lambda: {"email": "x@example.org"}),
        (f"/memories/{memory.public_id}/report/", lambda: {"reason": ""}),
    ]:
        client.post(url, data())
        refusals.append(client.post(url, data()))

    assert [response.status_code for response in refusals] == [429, 429, 429]
    assert all(1 <= int(response["Retry-After"]) <= 60 for response in refusals)


def test_lost_link_requests_are_limited_too(client, settings):
    settings.MEMORIES_RATE_LOOKUPS = "1/h"
    assert client.post("/memories/lost-link/", {"email": "x@example.org"}).status_code == 200
    response = client.post("/memories/lost-link/", {"email": "x@example.org"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_the_form_stays_open_when_the_cache_is_down(client, settings, monkeypatch):
    def cache_down(*args, **kwargs):
        raise ConnectionError("Redis did not answer")

    monkeypatch.setattr("memories.abuse.get_usage", cache_down)
    assert client.post("/memories/share/", form_data()).status_code == 302


def test_behind_a_proxy_each_visitor_is_limited_by_their_own_address(client, settings):
    settings.NUM_PROXIES = 1
    settings.MEMORIES_RATE_PER_IP = "1/h"
    proxy = {"REMOTE_ADDR": "10.0.0.254"}

    first = client.post(
        "/memories/share/",
        form_data(email="a@example.org"),
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    neighbour = client.post(
        "/memories/share/",
        form_data(email="b@example.org"),
        HTTP_X_FORWARDED_FOR="203.0.113.6",
        **proxy,
    )
    # The first visitor again, with an address of their own choosing in front.
    again = client.post(
        "/memories/share/",
        form_data(email="c@example.org"),
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5",
        **proxy,
    )

    assert (first.status_code, neighbour.status_code, again.status_code) == (302, 302, 429)


def test_without_proxies_a_forwarded_header_changes_nothing(client, settings):
    settings.MEMORIES_RATE_PER_IP = "1/h"

    first = client.post(
        "/memories/share/", form_data(email="a@example.org"), HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    second = client.post(
        "/memories/share/", form_data(email="b@example.org"), HTTP_X_FORWARDED_FOR="203.0.113.6"
    )

    assert (first.status_code, second.status_code) == (302, 429)
