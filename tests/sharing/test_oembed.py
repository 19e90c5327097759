"""oEmbed for objects, stories and memories (and calls, registered in one line),
and the object card other sites may frame: that route alone relaxes
frame-ancestors; every other page keeps 'none'."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from sharing import oembed
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory
from tests.objects.pages_support import object_with_image
from tests.pages.test_security_headers import csp

pytestmark = pytest.mark.django_db


def ask(client, url, **params):
    return client.get(reverse("sharing:oembed") + "?" + urlencode({"url": url, **params}))


def test_an_object_is_a_rich_embed_framing_its_card(client):
    obj = object_with_image(title="Red Shoes poster")
    response = ask(client, f"http://testserver{obj.get_absolute_url()}", format="json")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    answer = response.json()
    assert answer["version"] == "1.0" and answer["type"] == "rich"
    assert answer["title"] == "Red Shoes poster"
    assert answer["provider_name"] == "BAC Collection"
    card = reverse("sharing:object_card", args=[obj.slug])
    assert f'src="http://testserver{card}"' in answer["html"]
    assert (answer["width"], answer["height"]) == (400, 520)

    smaller = ask(client, f"http://testserver{obj.get_absolute_url()}", maxwidth=200).json()
    assert (smaller["width"], smaller["height"]) == (200, 260)


def test_stories_and_memories_are_link_embeds(client):
    story = StoryPageFactory(title="A night at the pantomime")
    memory = MemoryFactory(display_name="Maggie", object=CollectionObjectFactory(title="Poster"))

    story_answer = ask(client, f"http://testserver{story.url}").json()
    assert story_answer["type"] == "link" and story_answer["title"] == "A night at the pantomime"
    memory_url = f"http://testserver{reverse('memories:detail', args=[memory.public_id])}"
    memory_answer = ask(client, memory_url).json()
    assert memory_answer["title"].startswith("A memory of Poster")
    assert memory_answer["author_name"] == "Maggie"
    # The name they chose to show, never their email or their private link.
    from memories.links import private_token

    raw = ask(client, memory_url).content.decode()
    assert memory.contact.email not in raw and private_token(memory.public_id) not in raw


def test_a_call_for_memories_is_a_link_embed(client):
    from tests.factories.calls import CallPageFactory

    call = CallPageFactory(title="Were you at the 1985 pantomime?")
    answer = ask(client, f"http://testserver{call.url}").json()
    assert answer["type"] == "link" and answer["title"] == "Were you at the 1985 pantomime?"
    draft = CallPageFactory(title="Not yet asked", live=False)
    assert ask(client, f"http://testserver/calls/{draft.slug}/").status_code == 404


def test_what_is_not_public_or_not_ours_is_not_embedded(client):
    draft = CollectionObjectFactory(live=False)
    pending = MemoryFactory(status="pending")
    unpublished = StoryPageFactory(live=False)
    for url in (
        f"http://testserver{draft.get_absolute_url()}",
        f"http://testserver{reverse('memories:detail', args=[pending.public_id])}",
        f"http://testserver{unpublished.url or '/stories/unpublished/'}",
        "https://elsewhere.example/collection/objects/x/",
        "http://testserver/no/such/page/",
        "javascript:alert(1)",
    ):
        assert ask(client, url).status_code == 404, url
    assert ask(client, "").status_code == 400
    obj = CollectionObjectFactory()
    assert (
        ask(client, f"http://testserver{obj.get_absolute_url()}", format="xml").status_code == 501
    )


def test_a_page_type_joins_with_one_line(client, monkeypatch):
    from stories.models import StoryIndexPage

    index = StoryIndexPage.objects.live().first()
    assert ask(client, f"http://testserver{index.url}").status_code == 404
    monkeypatch.setattr(oembed, "_pages", dict(oembed._pages))
    oembed.register_page(StoryIndexPage)
    assert ask(client, f"http://testserver{index.url}").json()["title"] == index.title


def test_only_the_object_card_may_be_framed_by_other_sites(client):
    obj = object_with_image(title="Red Shoes poster")
    card = client.get(reverse("sharing:object_card", args=[obj.slug]))

    assert card.status_code == 200
    assert csp(card)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in card
    html = card.content.decode()
    assert "Red Shoes poster" in html and "<picture" in html
    assert 'target="_blank"' in html
    # A second visit comes from the page cache with the same headers.
    again = client.get(reverse("sharing:object_card", args=[obj.slug]))
    assert csp(again)["frame-ancestors"] == ["*"] and "X-Frame-Options" not in again

    page = client.get(obj.get_absolute_url())
    assert csp(page)["frame-ancestors"] == ["'none'"] and page["X-Frame-Options"] == "DENY"
    assert client.get(reverse("sharing:object_card", args=["no-such"])).status_code == 404


def test_a_content_warning_keeps_the_images_out_of_the_card_and_the_embed(client):
    obj = object_with_image(title="Hard to look at", content_warning="Injury")
    html = client.get(reverse("sharing:object_card", args=[obj.slug])).content.decode()
    assert "<picture" not in html
    answer = ask(client, f"http://testserver{obj.get_absolute_url()}").json()
    assert "thumbnail_url" not in answer
