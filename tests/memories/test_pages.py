"""Approved memories on object and production pages, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from memories.models import Memory
from tests.factories.images import ArchiveImageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, ProductionFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm caches shared by every page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_object_page_queries_do_not_grow_with_its_memories(client):
    one, twenty = CollectionObjectFactory(), CollectionObjectFactory()
    MemoryFactory(object=one, photo=ArchiveImageFactory())
    for _ in range(20):
        MemoryFactory(object=twenty, photo=ArchiveImageFactory())

    assert _queries(client, one.get_absolute_url()) == _queries(client, twenty.get_absolute_url())
    html = client.get(twenty.get_absolute_url()).content.decode()
    assert html.count('class="memory-card"') == 20


def test_only_approved_memories_are_shown(client):
    obj = CollectionObjectFactory()
    MemoryFactory(object=obj, text="Approved words")
    MemoryFactory(object=obj, text="Pending words", status=Memory.Status.PENDING)
    MemoryFactory(object=obj, text="Rejected words", status=Memory.Status.REJECTED)

    html = client.get(obj.get_absolute_url()).content.decode()
    assert "Approved words" in html
    assert "Pending words" not in html and "Rejected words" not in html
    assert f"/memories/share/?object={obj.slug}" in html


def test_production_page_shows_memories_of_the_show_and_its_objects(client):
    production = ProductionFactory()
    obj = CollectionObjectFactory(production=production)
    MemoryFactory(production=production, text="Of the show")
    MemoryFactory(object=obj, text="Of its poster")

    html = client.get(production.get_absolute_url()).content.decode()
    assert "Of the show" in html and "Of its poster" in html
    assert f"/memories/share/?production={production.slug}" in html


def test_email_addresses_never_appear_on_public_pages(client):
    obj = CollectionObjectFactory()
    MemoryFactory(object=obj, contact__email="secret@example.org")
    for url in (obj.get_absolute_url(), "/memories/"):
        assert "secret@example.org" not in client.get(url).content.decode()


def test_the_memories_page_lists_approved_memories(client):
    MemoryFactory(text="Listed memory")
    response = client.get("/memories/")
    assert response.status_code == 200
    assert "Listed memory" in response.content.decode()


def test_approved_audio_is_served_and_pending_audio_is_not(client):
    from django.core.files.base import ContentFile

    from .support import mp3_bytes

    approved = MemoryFactory(audio_content_type="audio/mpeg", audio_seconds=1)
    approved.audio.save("a.mp3", ContentFile(mp3_bytes(1, tagged=False)))
    pending = MemoryFactory(status=Memory.Status.PENDING, audio_content_type="audio/mpeg")
    pending.audio.save("p.mp3", ContentFile(mp3_bytes(1, tagged=False)))

    assert client.get(f"/memories/{approved.public_id}/audio/").status_code == 200
    assert client.get(f"/memories/{pending.public_id}/audio/").status_code == 404


def test_the_home_page_shows_the_latest_memories(client):
    from wagtail.models import Site

    MemoryFactory(text="Oldest memory")
    MemoryFactory(text="Newest memory", status=Memory.Status.APPROVED)
    MemoryFactory(text="Pending memory", status=Memory.Status.PENDING)
    root = Site.objects.get(is_default_site=True).root_page

    html = client.get(root.url).content.decode()
    assert "Latest memories" in html
    assert "Newest memory" in html and "Pending memory" not in html
