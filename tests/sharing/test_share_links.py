"""Share links on object, story and memory pages: plain links to each service,
Mastodon through a server chooser that works without JavaScript, the phone's
share sheet as an extra, and no third-party script, frame or pixel."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory

pytestmark = pytest.mark.django_db


def share_pages():
    obj = CollectionObjectFactory(title="Red Shoes poster")
    story = StoryPageFactory(title="A night at the pantomime")
    memory = MemoryFactory(object=obj)
    return {
        "object": obj.get_absolute_url(),
        "story": story.url,
        "memory": reverse("memories:detail", args=[memory.public_id]),
    }


def test_every_page_type_offers_the_same_share_links_and_an_oembed_link(client):
    for kind, url in share_pages().items():
        html = client.get(url).content.decode()
        section = html.split('class="share"', 1)[1].split("</section>", 1)[0]
        for service in ("https://bsky.app/intent/compose?", "https://wa.me/?", "mailto:?"):
            assert service in section, (kind, service)
        assert f'action="{reverse("sharing:mastodon")}"' in section, kind
        assert "data-web-share hidden" in section, kind  # shown by site.js where it works
        assert 'id="share-link-url"' in section, kind  # the address to copy
        assert 'type="application/json+oembed"' in html, kind
        # Only this site's scripts and images: no widget, pixel or frame of theirs.
        for src in re.findall(r'(?:src|href)="([^"]+)"', html.split("<body", 1)[1]):
            if src.startswith("http") and "testserver" not in src:
                assert src.startswith(("https://bsky.app/intent/", "https://wa.me/")) or (
                    "creativecommons" in src or "rightsstatements" in src or "github.com" in src
                ), (kind, src)
        assert "<iframe" not in html


def test_the_share_text_carries_the_title_and_the_page_address(client):
    url = share_pages()["object"]
    html = client.get(url).content.decode()
    href = re.search(r'href="(https://bsky.app/intent/compose\?[^"]+)"', html).group(1)
    text = parse_qs(urlsplit(href.replace("&amp;", "&")).query)["text"][0]
    assert text == f"Red Shoes poster http://testserver{url}"


@pytest.mark.parametrize(
    ("typed", "instance"),
    [
        ("mastodon.social", "mastodon.social"),
        ("https://Mastodon.Social/", "mastodon.social"),
        ("@maggie@toot.example.org", "toot.example.org"),
    ],
)
def test_the_mastodon_chooser_links_to_the_server_the_visitor_names(client, typed, instance):
    page = "http://testserver/collection/objects/x/"
    response = client.get(
        reverse("sharing:mastodon"), {"instance": typed, "url": page, "title": "A poster"}
    )
    assert response.status_code == 200
    assert response.context["share_url"] == (
        f"https://{instance}/share?text=A+poster+http%3A%2F%2Ftestserver%2Fcollection%2Fobjects%2Fx%2F"
    )
    assert response.get("Location") is None  # a link to follow, never a redirect


def test_the_mastodon_chooser_refuses_what_is_not_a_server_and_other_sites_pages(client):
    page = "http://testserver/collection/objects/x/"
    bad = client.get(
        reverse("sharing:mastodon"), {"instance": "not a server/<b>", "url": page, "title": "t"}
    )
    assert bad.status_code == 400
    assert "is not a server address" in bad.content.decode()
    assert "<b>" not in bad.content.decode()
    elsewhere = client.get(
        reverse("sharing:mastodon"),
        {"instance": "mastodon.social", "url": "https://evil.example/", "title": "t"},
    )
    assert elsewhere.status_code == 400


def test_the_mastodon_chooser_without_a_server_asks_for_one(client):
    response = client.get(
        reverse("sharing:mastodon"), {"url": "http://testserver/", "title": "BAC"}
    )
    assert response.status_code == 200
    assert "Your Mastodon server" in response.content.decode()
