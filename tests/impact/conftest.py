import os

import pytest
from django.test import Client

from impact import buffer, counting
from impact.store import impact_redis

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
TABLET = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """Each test starts as a new web process: no salt read, nothing buffered, counting
    not paused (tests/conftest.py empties Redis around every test, salt included)."""
    monkeypatch.setattr(counting, "_salt", {"day": None, "value": ""})
    monkeypatch.setattr(counting, "_today", {"day": None, "until": 0.0})
    monkeypatch.setattr(buffer, "_paused_until", [0.0])
    buffer._days.clear()
    yield
    buffer._days.clear()


@pytest.fixture
def redis_client():
    """The Redis the counts wait in (emptied around every test by tests/conftest.py's
    cache.clear(): the same database)."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: impact counting needs Redis")
    return impact_redis()


@pytest.fixture
def visitor(redis_client):
    """A browser, as the site sees it: an address and a user agent (Django's test
    client sends none, which counting takes for a script)."""

    def make(user_agent=DESKTOP, address="198.51.100.7", **headers):
        return Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address, **headers)

    return make


def searchable(*objects):
    """Index these objects now, as the sync task would after commit."""
    from search.services import search_index_update

    search_index_update(model_label="objects.CollectionObject", pks=[obj.pk for obj in objects])
