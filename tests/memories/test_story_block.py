"""A published memory placed in a story, with the contributor's attribution."""

import pytest

from memories.links import private_url
from memories.models import Memory
from stories.blocks import CommunityMemoryBlock
from tests.factories.memories import MemoryFactory

pytestmark = pytest.mark.django_db


def _render(memory_pk):
    block = CommunityMemoryBlock()
    value = block.to_python({"memory": memory_pk})
    return block.render(value, context={"request": None})


def test_the_block_shows_the_memory_with_its_chosen_attribution():
    memory = MemoryFactory(
        text="We queued round the block <3", display_name="Dot from Lavender Hill"
    )
    html = _render(memory.pk)
    assert "Dot from Lavender Hill" in html
    assert "We queued round the block &lt;3" in html
    assert f"/memories/{memory.public_id}/" in html


def test_anonymous_memories_say_so_and_unpublished_ones_vanish(client):
    anonymous = MemoryFactory(display_name="")
    assert "Anonymous" in _render(anonymous.pk)

    pending = MemoryFactory(status=Memory.Status.PENDING, text="Not yet")
    assert "Not yet" not in _render(pending.pk)

    withdrawn = MemoryFactory(text="Taken back")
    client.post(private_url(withdrawn.public_id) + "withdraw/")
    assert "Taken back" not in _render(withdrawn.pk)


def test_the_chooser_offers_published_memories_only(admin_client):
    MemoryFactory(text="Published one")
    MemoryFactory(text="Pending one", status=Memory.Status.PENDING)
    response = admin_client.get("/admin/memory_chooser/")
    html = (
        response.json()["html"] if "json" in response["Content-Type"] else response.content.decode()
    )
    assert "Published one" in html and "Pending one" not in html
