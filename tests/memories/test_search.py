"""Memories are the third kind in the site search: approved ones only."""

import pytest
from django.contrib.auth import get_user_model

from memories import services
from memories.links import private_url
from memories.models import Memory
from search.models import SearchEntry
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory

pytestmark = pytest.mark.django_db


def _search(client, q):
    return client.get("/search/", {"q": q}).content.decode()


def test_an_approved_memory_is_found_and_links_to_its_page(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = CollectionObjectFactory(title="Poster for Jerry Springer")
        memory = MemoryFactory(
            object=obj, status=Memory.Status.PENDING, text="The choir sang about a marmalade cat"
        )
    assert f"/memories/{memory.public_id}/" not in _search(client, "marmalade")

    admin = get_user_model().objects.create_superuser("a", "a@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        services.memory_approve(memory=memory, user=admin)

    html = _search(client, "marmalade")
    assert f"/memories/{memory.public_id}/" in html
    assert "Memory" in html
    page = client.get(f"/memories/{memory.public_id}/")
    assert page.status_code == 200 and "marmalade" in page.content.decode()


def test_withdrawn_and_rejected_memories_leave_the_index(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = MemoryFactory(text="A xylophone in the foyer")
        withdrawn = MemoryFactory(text="A xylophone on the stairs")
        rejected = MemoryFactory(text="A xylophone in the bar")
    assert SearchEntry.objects.filter(kind="memories").count() == 3

    admin = get_user_model().objects.create_superuser("a", "a@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(private_url(withdrawn.public_id) + "withdraw/")
        services.memory_reject(memory=rejected, user=admin, reason="Duplicate")

    assert list(
        SearchEntry.objects.filter(kind="memories").values_list("record_id", flat=True)
    ) == [kept.pk]
    html = _search(client, "xylophone")
    assert "foyer" in html and "stairs" not in html and "bar" not in html
