"""Nothing identifying is kept: after a browsing session with cookies, addresses,
user agents, emails and searches for people's names, no database table, no Redis
key and no log line holds an address, a user agent or a term searched fewer than
three times that day. Rate limits and the API's throttle count under keyed hashes."""

import datetime
import logging
import os

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from foundation.page_cache import page_cache_bump
from foundation.visitors import address_key
from impact.buffer import impact_buffer_send
from impact.models import DailyCount, Metric, SearchTermDay
from impact.services import impact_flush
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory

from .conftest import searchable

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"  # the proxy's, in REMOTE_ADDR
VISITOR_ADDRESS = "192.0.2.201"  # the visitor's, from X-Forwarded-For
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 Zq7Mark/31"
RARE_TERMS = ["Jane Doe", "jane.doe@example.org", "john smith 1998"]
COMMON_TERM = "red shoes"
# A session's secrets, sent as cookies: none may be written anywhere either.
COOKIE = "tracking-cookie-value-8c1f"


def browse(settings):
    settings.NUM_PROXIES = 1
    obj = CollectionObjectFactory(title="The Red Shoes poster")
    searchable(obj)
    published = MemoryFactory()
    client = Client(
        HTTP_USER_AGENT=USER_AGENT,
        REMOTE_ADDR=ADDRESS,
        HTTP_X_FORWARDED_FOR=f"10.0.0.1, {VISITOR_ADDRESS}",
        HTTP_REFERER="https://www.example.org/people/jane-doe?id=42",
    )
    client.cookies["preferences"] = COOKIE
    for _ in range(2):
        client.get(obj.get_absolute_url())
        client.get("/")
        client.get(reverse("memories:list"))
    for term in RARE_TERMS + [RARE_TERMS[2]] + [COMMON_TERM] * 3:
        client.get(reverse("search:search"), {"q": term})
    client.get("/api/v1/objects/")  # the throttle counts this address
    client.post(reverse("memories:lost_link"), {"email": "jane.doe@example.org"})  # rate limited
    client.post(reverse("memories:report", args=[published.public_id]), {"reason": "Jane Doe"})


def test_a_browsing_session_leaves_no_address_user_agent_or_rare_term(
    settings, redis_client, caplog
):
    caplog.set_level(logging.DEBUG)
    browse(settings)
    impact_flush()  # today's counts, as beat moves them
    impact_flush(today=timezone.localdate() + datetime.timedelta(days=1))  # the day is over

    assert DailyCount.objects.get(metric=Metric.VIEWS, key="object").count == 2  # counted
    assert list(SearchTermDay.objects.values_list("term", "count")) == [(COMMON_TERM, 3)]
    identifying = [ADDRESS, VISITOR_ADDRESS, USER_AGENT, "Zq7Mark", COOKIE]
    rare = [term.lower() for term in RARE_TERMS]

    for table, text in _every_table():
        for value in identifying + rare:
            assert value not in text, f"{value!r} is stored in table {table}"
    keys = dict(_every_redis_key(redis_client))
    assert any(":pagecache:" in key for key in keys)  # pages were cached, and are read
    for key, text in keys.items():  # every key's name and value, cached pages' too
        for value in identifying:
            assert value not in text, f"{value!r} is stored in Redis under {key}"
        for value in rare:
            assert value not in text.lower(), f"{value!r} is stored in Redis under {key}"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in identifying + rare:
        assert value not in logged.lower() and value not in logged


def test_a_search_page_is_kept_in_the_page_cache_only_once_its_term_is_common_today(
    visitor, redis_client
):
    searchable(CollectionObjectFactory(title="The Red Shoes poster"))
    client = visitor()
    url = reverse("search:search")
    for query in ["Red Shoes", "RED  shoes"]:  # one term, as counting normalises it
        response = client.get(url, {"q": query})
        assert response.status_code == 200 and "The Red Shoes poster" in response.text
        assert "X-Page-Cache" not in response, "rendered, never stored"
        assert "private" in response["Cache-Control"]
        impact_buffer_send()  # counted in Redis, as another process's searches are

    assert client.get(url, {"q": "red shoes"})["X-Page-Cache"] == "miss"  # the third: kept
    assert client.get(url, {"q": "red shoes"})["X-Page-Cache"] == "hit"
    impact_flush()  # today's totals move to the database: the term stays common today
    page_cache_bump()
    assert client.get(url, {"q": "red shoes", "page": "1"})["X-Page-Cache"] == "miss"
    assert client.get(url, {"q": "Jane Doe"})["Cache-Control"] == "private"


def test_rate_limits_and_the_api_throttle_count_under_keyed_hashes(settings, redis_client):
    browse(settings)

    keys = "\n".join(redis_client.scan_iter())

    assert f"throttle_anon_{address_key(VISITOR_ADDRESS)}" in keys
    assert VISITOR_ADDRESS not in keys and ADDRESS not in keys
    assert any(":rl:" in key for key in keys.split())  # django-ratelimit's counters


def _every_table():
    """Each table's name and the text of all its rows."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from introspection)
            yield table, repr(cursor.fetchall())


def _every_redis_key(redis_client):
    """Each key in the Redis database, and what it holds, as text."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])  # bytes: pickled pages too
    read = {
        b"string": client.get,
        b"hash": client.hgetall,
        b"set": client.smembers,
        b"list": lambda key: client.lrange(key, 0, -1),
        b"zset": lambda key: client.zrange(key, 0, -1),
    }
    for key in client.scan_iter():
        value = read[client.type(key)](key)
        yield key.decode(), repr(key) + repr(value)
