"""A Redis or broker outage degrades the site, never takes it down, and never makes
it break a promise to a contributor. The Redis tests run their own real redis-server
and kill or freeze it mid-session."""

import gzip
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

import bac_collection.cache
import pages.cache
from api.dumps import current_manifest, dump_dir, opendata_dump_write
from api.tasks import refresh_outdated_opendata_dump_task
from memories.models import Memory
from memories.services import memory_withdraw
from stories.models import StoryIndexPage
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory
from tests.memories.support import form_data
from tests.worker import wait_until

pytestmark = pytest.mark.django_db

RETRY_SECONDS = 0.3


class RedisServer:
    """A throwaway redis-server on a free port: killed, frozen and brought back at will."""

    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        if not wait_until(self.accepts_connections, timeout=10, interval=0.05):
            raise RuntimeError("redis-server did not start")

    def accepts_connections(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
        except OSError:
            return False
        return True

    def kill(self):
        self.process.kill()
        self.process.wait()

    def freeze(self):  # a hung server, or one cut off by the network: data kept
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_server(settings, monkeypatch, tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install redis-server (make services)")
        pytest.skip("redis-server is not installed (make services installs it)")
    server = RedisServer(_free_port())
    server.start()
    monkeypatch.setattr(bac_collection.cache, "RETRY_SECONDS", RETRY_SECONDS)
    settings.CACHES = {
        "default": {
            "BACKEND": "bac_collection.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    settings.OPENDATA_DUMP_DIR = tmp_path / "opendata"
    # Every process re-reads the epoch on its own clock; start this one afresh.
    monkeypatch.setitem(pages.cache._epoch_reading, "read_at", float("-inf"))
    yield server
    if server.process.poll() is None:
        server.thaw()
        server.kill()


def _wait_for_retry():
    """Until the cache tries Redis again (its retry window, shortened above, ends)."""
    assert wait_until(lambda: not bac_collection.cache.cache_degraded(), timeout=5, interval=0.02)


def test_with_redis_killed_every_public_page_answers_and_the_site_recovers(client, redis_server):
    obj = CollectionObjectFactory(title="Poster for the Town Hall reopening")
    urls = [
        "/",
        "/collection/",
        obj.get_absolute_url(),
        "/search/?q=poster",
        "/api/v1/objects/",
        "/memories/",
        "/memories/share/",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url

    redis_server.kill()

    for url in urls:
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    response = client.post("/memories/share/", form_data(object=obj.slug))
    assert response.status_code == 302
    assert Memory.objects.filter(status=Memory.Status.PENDING).count() == 1
    assert client.get(response["Location"]).status_code == 200

    redis_server.start()
    _wait_for_retry()
    first = client.get(obj.get_absolute_url())
    again = client.get(obj.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert client.get("/healthz").status_code == 200


def test_a_withdrawal_during_an_outage_leaves_no_trace_once_redis_returns(
    client, redis_server, django_capture_on_commit_callbacks
):
    obj = CollectionObjectFactory(title="Programme for the winter pantomime")
    text = "Grandmother Elspeth cried at the pantomime finale in 1987"
    memory = MemoryFactory(object=obj, text=text, display_name="Elspeth's grandson")
    opendata_dump_write()
    page_urls = [obj.get_absolute_url(), "/memories/", f"/memories/{memory.public_id}/"]
    for url in page_urls:
        client.get(url)
        cached = client.get(url)
        assert cached["X-Page-Cache"] == "hit" and text in cached.content.decode(), url
    assert text.encode() in _dump_bytes()

    redis_server.freeze()
    with django_capture_on_commit_callbacks(execute=True):
        memory_withdraw(memory=memory)
    assert client.get(obj.get_absolute_url()).status_code == 200
    # The pages cached before the outage are still in Redis, under a generation
    # the withdrawal could not bump; the database remembers the invalidation.
    redis_server.thaw()
    _wait_for_retry()

    for url in page_urls:
        response = client.get(url)
        assert text not in response.content.decode(), url
    assert text not in client.get("/search/?q=pantomime+finale").content.decode()
    assert text not in client.get("/api/v1/memories/").content.decode()
    assert text not in client.get("/sitemap.xml").content.decode()
    assert refresh_outdated_opendata_dump_task() is True
    assert text.encode() not in _dump_bytes()
    assert refresh_outdated_opendata_dump_task() is False  # written once, not every minute


def test_another_process_stops_serving_pages_an_outage_invalidated_within_a_minute(
    client, redis_server, django_capture_on_commit_callbacks, monkeypatch
):
    obj = CollectionObjectFactory()
    memory = MemoryFactory(object=obj, text="Only the stage door remembers this")
    client.get(obj.get_absolute_url())
    assert client.get(obj.get_absolute_url())["X-Page-Cache"] == "hit"
    # Another process read the epoch just before the withdrawal and keeps its reading.
    reading = dict(pages.cache._epoch_reading)

    redis_server.freeze()
    with django_capture_on_commit_callbacks(execute=True):
        memory_withdraw(memory=memory)
    redis_server.thaw()
    _wait_for_retry()
    monkeypatch.setattr(pages.cache, "_epoch_reading", reading)
    reading["read_at"] = time.monotonic() - pages.cache.EPOCH_READ_SECONDS
    assert pages.cache.EPOCH_READ_SECONDS <= 60

    assert "Only the stage door" not in client.get(obj.get_absolute_url()).content.decode()


def test_rate_limits_keep_counting_in_the_process_while_redis_is_down(
    client, redis_server, settings
):
    settings.MEMORIES_RATE_PER_IP = "2/h"
    redis_server.kill()

    statuses = [
        client.post("/memories/share/", form_data(email=f"p{n}@example.org")).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert cache.get("anything") is None  # reads fail safe too


def _dump_bytes() -> bytes:
    folder = dump_dir() / current_manifest()["folder"]
    return b"".join(
        gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        for path in folder.iterdir()
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sharing_and_withdrawing_while_the_broker_is_down_answer_without_an_error(
    client,
    unreachable_broker,
):
    # Real commits: Django runs the queued jobs and, for robust ones, logs a failure by
    # the callback's name (a callable without __qualname__ made that logging raise).
    obj = CollectionObjectFactory()
    response = client.post("/memories/share/", form_data(object=obj.slug))
    assert response.status_code == 302
    memory = Memory.objects.get()

    Memory.objects.filter(pk=memory.pk).update(status=Memory.Status.APPROVED)
    memory_withdraw(memory=memory)

    assert not Memory.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_database_down_cached_pages_still_serve_and_count_their_views(
    client, settings, request
):
    settings.PAGE_CACHE_SECONDS = 600
    obj = CollectionObjectFactory(title="Poster for the long summer season")
    client.get(obj.get_absolute_url())
    client.get("/")

    request.getfixturevalue("unreachable_database")

    for url in (obj.get_absolute_url(), "/"):
        response = client.get(url)
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit", url
    assert cache.get(f"objects:views:{obj.pk}") == 2  # counted in Redis, no query


def test_a_restriction_made_while_redis_is_down_holds_at_once(client, redis_server):
    """The restricted sections are kept under the site generation; while Redis is down
    there is none to key them by, so they are read afresh: a story made private during
    the outage leaves the listing at once, not when Redis comes back."""
    story = StoryPageFactory(title="The unannounced season")
    listing = StoryIndexPage.objects.get().url
    redis_server.kill()
    assert story.title in client.get(listing).content.decode()

    PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="seventy"
    )

    assert story.title not in client.get(listing).content.decode()
    assert 'name="password"' in client.get(story.url).content.decode()
