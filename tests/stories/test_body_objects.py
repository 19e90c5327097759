"""A story's object blocks, both types, read their objects in one query with what
the blocks show (stories.blocks.body_objects_loaded), and still flag in a preview
the objects deleted or unpublished since (the public page leaving them out is
tests/stories/test_pages.py's)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from stories.models import StoryIndexPage
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory, gallery_block, object_block
from tests.objects.pages_support import object_with_image
from tests.pages.cache_support import cache_state, cached

from .support import story_form, story_with_objects

pytestmark = pytest.mark.django_db

OBJECTS_TABLE = '"objects_collectionobject"'


def object_queries(client, url, *, after: str) -> list[str]:
    """The queries reading objects to render the story at `url` for the first time
    (its body never rendered), after the story at `after`: the site-wide caches are
    warm, as on a running site. The whole-page cache is off."""
    with override_settings(PAGE_CACHE_SECONDS=0):
        client.get(after)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries if f"FROM {OBJECTS_TABLE}" in q["sql"]]


def test_both_object_block_types_load_their_objects_in_one_query(client):
    story, _ = story_with_objects(3, gallery_size=4)
    other, _ = story_with_objects(1)

    queries = object_queries(client, story.url, after=other.url)

    assert len(queries) == 1, queries
    # Only what the blocks show: not the description, the rights or the revisions.
    assert '"description"' not in queries[0]
    assert '"latest_revision_id"' not in queries[0]


CARD_STARTS = ('<figure class="story-block story-object">', '<li class="object-card">')


def card(html: str, title: str) -> str:
    """The single object block or gallery card that shows `title`."""
    for start in CARD_STARTS:
        end = "</figure>" if start.startswith("<figure") else "</li>"
        for piece in html.split(start)[1:]:
            piece = piece.split(end, 1)[0]
            if title in piece:
                return piece
    raise AssertionError(f"no card for {title!r}")


def test_object_cards_show_title_type_date_accession_number_and_image(client):
    single = object_with_image(title="The Grand Hall poster", object_type="poster")
    first = object_with_image(title="Ticket stub", object_type="ticket", date_display="1999")
    second = CollectionObjectFactory(title="Programme without a picture", date_display="c. 2001")
    story = StoryPageFactory(body=[object_block(single), gallery_block([first, second])])

    html = client.get(story.url).content.decode()

    block = card(html, "The Grand Hall poster")
    assert single.get_absolute_url() in block
    assert "Poster, 1998" in block  # its type and date, as no caption was written
    assert single.accession_number in block
    assert "<img" in block and "/media/" in block
    ticket = card(html, "Ticket stub")
    assert first.get_absolute_url() in ticket
    assert "Ticket" in ticket and "1999" in ticket
    assert "<img" in ticket
    programme = card(html, "Programme without a picture")
    assert "c. 2001" in programme
    assert "<img" not in programme  # the placeholder


def test_an_object_in_two_blocks_and_a_gallery_stored_as_the_admin_does(client):
    shared = object_with_image(title="The poster everyone remembers")
    other = object_with_image(title="Another poster")
    # The gallery's items as the admin stores them (bare ids before Wagtail 2.16).
    gallery = gallery_block([shared, other])
    gallery["value"]["objects"] = [
        {"type": "item", "value": pk, "id": f"item-{pk}"} for pk in gallery["value"]["objects"]
    ]
    story = StoryPageFactory(body=[object_block(shared), gallery])

    other, _ = story_with_objects(1)

    assert len(object_queries(client, story.url, after=other.url)) == 1
    html = client.get(story.url).content.decode()
    assert html.count(f'href="{shared.get_absolute_url()}"') >= 2


def preview_html(story, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return story.make_preview_request(original_request=request).content.decode()


def test_a_preview_flags_unpublished_and_deleted_objects_in_both_block_types(admin_user):
    kept, unpublished, deleted = (
        object_with_image(title=title) for title in ("Kept poster", "Hidden poster", "Gone poster")
    )
    story = StoryPageFactory(body=[object_block(unpublished), gallery_block([kept, deleted])])
    unpublished.unpublish()
    deleted.delete()

    html = preview_html(story, admin_user)

    assert kept.get_absolute_url() in html
    assert "This object is not shown to the public" in html  # the single block
    assert "One object in this gallery is not shown to the public" in html
    assert "Hidden poster" not in html and "Gone poster" not in html


def test_a_preview_of_a_story_never_saved_shows_its_objects(client, admin_user):
    shown = object_with_image(title="Poster in a draft")
    withdrawn = object_with_image(title="Withdrawn poster")
    withdrawn.unpublish()
    client.force_login(admin_user)
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["stories", "storypage", StoryIndexPage.objects.get().pk],
    )

    posted = client.post(url, story_form(objects=[shown, withdrawn]))
    assert posted.json()["is_valid"], posted.json()
    html = client.get(url).content.decode()

    assert "Poster in a draft" in html
    assert shown.get_absolute_url() in html
    assert "This object is not shown to the public" in html


def test_an_object_changed_retires_the_stories_showing_it_and_only_those(
    client, django_capture_on_commit_callbacks
):
    """The objects loaded for the body, once for both block types, still tell the
    page cache what the page shows."""
    shown, other = object_with_image(title="Poster, first print"), object_with_image()
    story = StoryPageFactory(body=[object_block(other), gallery_block([shown, other])])
    elsewhere = StoryPageFactory(body=[object_block(other)])
    cached(client, story.url, elsewhere.url)

    with django_capture_on_commit_callbacks(execute=True):
        shown.title = "Poster, second print"
        shown.save()

    assert "Poster, second print" in client.get(story.url).content.decode()
    assert cache_state(client, elsewhere.url) == "hit"
