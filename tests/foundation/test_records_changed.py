"""foundation's records_changed: rows written without save() reach the search and the
page cache through the one signal, whatever app wrote them."""

import pytest
from django.contrib.auth import get_user_model

from foundation.page_cache import page_cache_generation
from foundation.signals import records_changed
from memories import services
from memories.models import Memory
from objects.models import Maker
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory, MakerFactory

pytestmark = pytest.mark.django_db


def _found(client, query: str, path: str) -> bool:
    return path in client.get("/search/", {"q": query}).content.decode()


def test_a_record_mentioned_and_changed_in_bulk_is_reindexed_where_it_is_mentioned(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        maker = MakerFactory(name="Quentin Blakemore")
        obj = CollectionObjectFactory(title="A poster", makers=[maker])
    path = obj.get_absolute_url()
    assert _found(client, "Blakemore", path)

    with django_capture_on_commit_callbacks(execute=True):
        Maker.objects.filter(pk=maker.pk).update(name="Rosalind Featherstone")
    assert not _found(client, "Featherstone", path)  # update() sent nothing

    with django_capture_on_commit_callbacks(execute=True):
        records_changed.send(sender=Maker, pks=[maker.pk])
    assert _found(client, "Featherstone", path)
    assert not _found(client, "Blakemore", path)


def test_a_moderation_decision_makes_cached_pages_stale(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        memory = MemoryFactory(status=Memory.Status.PENDING, text="The bar's old piano")
    admin = get_user_model().objects.create_superuser("a", "a@example.org", "pw")
    before = page_cache_generation()

    with django_capture_on_commit_callbacks(execute=True):
        services.memory_approve(memory=memory, user=admin)

    assert page_cache_generation() > before


def test_the_page_cache_follows_any_sender(django_capture_on_commit_callbacks):
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        records_changed.send(sender=Memory, pks=[1])
    assert page_cache_generation() > before
