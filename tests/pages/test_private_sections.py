"""A page behind a view restriction (a password, signed-in visitors only) shows only at
its own address: never in the site search, a listing, home's cards, an object's
"Featured in" or open calls, the open data (its API and nightly files). Lifting the
restriction brings it back everywhere (foundation/view_restrictions.py `public_pages`)."""

import gzip

import pytest
from django.contrib.auth.models import User
from wagtail.models import Page, PageViewRestriction

from api.dumps import current_manifest, dump_dir, opendata_dump_write
from api.tasks import refresh_outdated_opendata_dump_task
from foundation.view_restrictions import public_pages
from home.models import HomePage
from search.models import SearchEntry
from stories.models import StoryIndexPage
from tests.factories.calls import CallPageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.stories import StoryPageFactory, object_block
from tests.objects.pages_support import object_with_image

pytestmark = pytest.mark.django_db

SECRET = "The unannounced season"
PLACES = ["listing", "feed", "home", "featured in", "search", "search index", "api"]


def restrict(page, capture, **kwargs):
    """As the privacy dialog does: committed, so what waits for the commit runs."""
    kwargs.setdefault("restriction_type", PageViewRestriction.PASSWORD)
    kwargs.setdefault("password", "seventy")
    with capture(execute=True):
        return PageViewRestriction.objects.create(page=page, **kwargs)


def lift(restriction, capture):
    with capture(execute=True):
        restriction.delete()


def search_for(client, words) -> str:
    return client.get("/search/", {"q": words}).content.decode()


def places_a_story_shows(client, story, obj) -> dict[str, bool]:
    return {
        "listing": story.title in client.get(StoryIndexPage.objects.get().url).content.decode(),
        "feed": story.title in client.get(StoryIndexPage.objects.get().url + "feed/").text,
        "home": story.title in client.get("/").content.decode(),
        "featured in": story.title in client.get(obj.get_absolute_url()).content.decode(),
        "search": story.url in search_for(client, SECRET),
        "search index": SearchEntry.objects.filter(kind="stories", record_id=story.pk).exists(),
        "api": client.get("/api/v1/stories/").content.decode().count(story.title) > 0,
    }


def test_a_restricted_story_shows_nowhere_but_its_own_address(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # indexed once committed
        obj = object_with_image(title="A poster for the season")
        story = StoryPageFactory(title=SECRET, body=[object_block(obj)])
    assert places_a_story_shows(client, story, obj) == dict.fromkeys(PLACES, True)

    restriction = restrict(story, django_capture_on_commit_callbacks)

    assert places_a_story_shows(client, story, obj) == dict.fromkeys(PLACES, False)
    assert 'name="password"' in client.get(story.url).content.decode()

    lift(restriction, django_capture_on_commit_callbacks)
    assert places_a_story_shows(client, story, obj) == dict.fromkeys(PLACES, True)


def test_the_listing_behind_a_restriction_shows_its_stories_to_those_let_in(
    client, django_capture_on_commit_callbacks
):
    """A restriction on the listing itself (or above it) hides nothing on it: whoever
    sees the listing has passed it already. Home, outside it, still leaves them out."""
    StoryPageFactory(title=SECRET)
    index = StoryIndexPage.objects.get()
    restrict(index, django_capture_on_commit_callbacks, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(User.objects.create_user("reader", password="not-a-real-password"))

    assert SECRET in client.get(index.url).content.decode()
    assert SECRET not in client.get("/").content.decode()


def test_a_restricted_call_is_not_offered_on_object_pages_home_listing_or_search(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = object_with_image()
        call = CallPageFactory(title="Who built the secret stage?", objects=[obj])
    visible = [obj.get_absolute_url(), "/", "/calls/", "/api/v1/calls/"]
    assert all(call.title in client.get(url).content.decode() for url in visible)
    assert call.url in search_for(client, "secret stage")

    restrict(call, django_capture_on_commit_callbacks)

    for url in visible:
        assert call.title not in client.get(url).content.decode(), url
    assert call.url not in search_for(client, "secret stage")


def test_a_memory_answering_a_restricted_call_does_not_name_it(
    client, django_capture_on_commit_callbacks
):
    obj = object_with_image()
    call = CallPageFactory(title="Who built the secret stage?", objects=[obj])
    MemoryFactory(call=call, object=obj)
    assert "In answer to" in client.get(obj.get_absolute_url()).content.decode()
    memories_api = client.get("/api/v1/memories/").json()
    assert [memory["call"] for memory in memories_api["results"]] == [call.pk]

    restrict(call, django_capture_on_commit_callbacks)

    html = client.get(obj.get_absolute_url()).content.decode()
    assert "I remember the night" in html  # the memory itself is still shown
    assert "In answer to" not in html and call.title not in html
    memories_api = client.get("/api/v1/memories/").json()
    assert [memory["call"] for memory in memories_api["results"]] == [None]


def test_the_share_form_names_a_restricted_call_only_to_those_let_in(
    client, django_capture_on_commit_callbacks
):
    call = CallPageFactory(title="Who built the secret stage?")
    restrict(call, django_capture_on_commit_callbacks, restriction_type=PageViewRestriction.LOGIN)
    form_url = f"/memories/share/?call={call.pk}"

    assert call.title not in client.get(form_url).content.decode()

    client.force_login(User.objects.create_user("reader", password="not-a-real-password"))
    assert call.title in client.get(form_url).content.decode()


def test_a_restricted_section_moved_elsewhere_stays_restricted_in_lists():
    """The restricted sections are kept by tree path: a section that moves takes a new
    path, which the lists must follow at once."""
    home = HomePage.objects.get()
    section = home.add_child(instance=Page(title="Private section", slug="private-section"))
    inside = section.add_child(instance=Page(title="Inside", slug="inside"))
    elsewhere = home.add_child(instance=Page(title="Elsewhere", slug="elsewhere"))
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert not public_pages(Page.objects.filter(pk=inside.pk)).exists()

    section.move(elsewhere, pos="last-child")

    assert not public_pages(Page.objects.filter(pk=inside.pk)).exists()


def test_the_open_data_files_are_written_again_without_a_story_made_private(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """Beat's minute check rewrites the nightly files when a page was made private
    since they were written, as when a contributor takes a memory back."""
    settings.OPENDATA_DUMP_DIR = tmp_path / "opendata"
    story = StoryPageFactory(title=SECRET)
    opendata_dump_write()
    assert SECRET.encode() in dumped_stories()
    assert refresh_outdated_opendata_dump_task() is False

    restrict(story, django_capture_on_commit_callbacks)

    assert refresh_outdated_opendata_dump_task() is True
    assert SECRET.encode() not in dumped_stories()
    assert refresh_outdated_opendata_dump_task() is False  # written once, not every minute


def dumped_stories() -> bytes:
    folder = dump_dir() / current_manifest()["folder"]
    return b"".join(
        gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        for path in folder.iterdir()
        if path.name.startswith("stories")
    )
