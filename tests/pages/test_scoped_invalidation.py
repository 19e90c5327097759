"""Changes that used to retire every cached page now retire only the pages showing
them (pages/invalidation.py, stories/signal_handlers.py): a memory approved with a
photo, a story published, edited or unpublished, an import, a term renamed, a call
response featured, an identification accepted and the open-data dump written. Each
test caches a page that shows the change and one that does not, makes the change
through its service, and checks the first shows it and the second is still a hit."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from api import dumps
from api.models import OpenDataPage
from identifications import services as identification_services
from memories import services as memory_services
from memories import updates as memory_updates
from memories.models import Memory
from objects.services import collection_import
from pages import invalidation
from stories.models import StoryPage
from tests.factories.calls import CallPageFactory
from tests.factories.memories import MemoryFactory
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    SubjectFactory,
)
from tests.factories.stories import StoryPageFactory, object_block
from tests.memories.support import form_data, upload
from tests.objects.importing import row, write_csv
from tests.objects.pages_support import ready_image
from tests.pages.cache_support import BROWSE, cache_state, cached

pytestmark = pytest.mark.django_db


def html(client, url) -> str:
    return client.get(url).content.decode()


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")


def test_approving_a_memory_with_a_photo_leaves_other_object_pages_cached(
    client, editor, settings, django_capture_on_commit_callbacks
):
    """The approval renews the photo's renditions and the worker saves the image:
    only the pages showing that image (`image:<id>`) go, not every page."""
    from tests.images.files import jpeg_with_gps

    settings.MEMORIES_FORM_MIN_SECONDS = 0  # sent at once
    remembered, other = CollectionObjectFactory.create_batch(2)
    contributor = Client()
    data = form_data(text="We painted the scenery in the car park.")
    data["photo"] = upload("me.jpg", jpeg_with_gps(640, 480), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        assert contributor.post("/memories/share/", data).status_code == 302
    memory = Memory.objects.get()
    Memory.objects.filter(pk=memory.pk).update(object=remembered)
    memory.refresh_from_db()
    assert memory.photo_id is not None
    cached(client, remembered.get_absolute_url(), other.get_absolute_url(), BROWSE)

    with django_capture_on_commit_callbacks(execute=True):  # the renditions rebuilt
        memory_services.memory_approve(memory=memory, user=editor)

    page = client.get(remembered.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "We painted the scenery in the car park." in page.content.decode()
    assert cache_state(client, other.get_absolute_url()) == "hit"
    assert cache_state(client, BROWSE) == "hit"


def test_an_image_added_to_an_object_and_processed_retires_its_pages_only(client):
    illustrated, other = CollectionObjectFactory.create_batch(2)
    image = ready_image()
    cached(client, illustrated.get_absolute_url(), other.get_absolute_url())

    ObjectImageFactory(object=illustrated, image=image, alt_text="A handbill in blue ink")
    assert "A handbill in blue ink" in html(client, illustrated.get_absolute_url())
    assert cache_state(client, other.get_absolute_url()) == "hit"

    cached(client, illustrated.get_absolute_url())
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width = image.focal_point_height = 5
    image.save()  # its crops are made again

    assert cache_state(client, illustrated.get_absolute_url()) == "miss"
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_a_story_published_edited_and_unpublished_retires_the_pages_showing_it(client):
    featured, other = CollectionObjectFactory.create_batch(2)
    story_listed = StoryPageFactory(title="An older story")
    pages = [featured.get_absolute_url(), other.get_absolute_url(), "/"]
    cached(client, *pages, story_listed.url)

    story = StoryPageFactory(title="The night the lights went out", body=[object_block(featured)])

    assert "The night the lights went out" in html(client, featured.get_absolute_url())
    assert "The night the lights went out" in html(client, "/")
    assert cache_state(client, other.get_absolute_url()) == "hit"
    assert cache_state(client, story_listed.url) == "hit", "another story's page"

    cached(client, story.url, featured.get_absolute_url(), "/")
    story = StoryPage.objects.get(pk=story.pk)
    story.title = "The night the power failed"
    story.save_revision().publish()

    assert "The night the power failed" in html(client, story.url)
    assert "The night the power failed" in html(client, featured.get_absolute_url())
    assert "The night the power failed" in html(client, "/")
    assert cache_state(client, other.get_absolute_url()) == "hit"

    cached(client, featured.get_absolute_url(), "/")
    StoryPage.objects.get(pk=story.pk).unpublish()

    assert "The night the power failed" not in html(client, featured.get_absolute_url())
    assert "The night the power failed" not in html(client, "/")
    assert client.get(story.url).status_code == 404
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_a_story_that_stops_featuring_an_object_leaves_its_page(client):
    kept, dropped = CollectionObjectFactory.create_batch(2)
    story = StoryPageFactory(title="Two posters", body=[object_block(kept), object_block(dropped)])
    cached(client, kept.get_absolute_url(), dropped.get_absolute_url())
    assert "Two posters" in html(client, dropped.get_absolute_url())

    story = StoryPage.objects.get(pk=story.pk)
    story.body = [object_block(kept)]
    story.save_revision().publish()

    assert "Two posters" not in html(client, dropped.get_absolute_url())
    assert "Two posters" in html(client, kept.get_absolute_url())


def import_file(tmp_path, rows):
    return write_csv(tmp_path, rows)


def test_an_import_retires_the_pages_of_its_objects_and_the_lists_only(client, tmp_path):
    imported = CollectionObjectFactory(accession_number="BAC-0001", title="Poster 1")
    other = CollectionObjectFactory(accession_number="X-1")
    cached(client, imported.get_absolute_url(), other.get_absolute_url(), BROWSE)

    collection_import(
        path=import_file(tmp_path, [row(1, title="Poster for the reopening"), row(2)])
    )

    assert "Poster for the reopening" in html(client, imported.get_absolute_url())
    assert "Poster 2" in html(client, BROWSE)
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_an_announcement_of_more_objects_than_the_limit_retires_every_page(
    client, tmp_path, monkeypatch
):
    """Past BULK_OBJECTS_LIMIT objects at once, one global bump instead."""
    monkeypatch.setattr(invalidation, "BULK_OBJECTS_LIMIT", 1)
    other = CollectionObjectFactory(accession_number="X-1")
    cached(client, other.get_absolute_url())

    collection_import(path=import_file(tmp_path, [row(1), row(2)]))

    assert cache_state(client, other.get_absolute_url()) == "miss"


def test_renaming_a_maker_or_a_subject_retires_the_pages_naming_it(client):
    maker = MakerFactory(name="Punchdrunk")
    subject = SubjectFactory(name="Puppetry")
    named = CollectionObjectFactory(makers=[maker], subjects=[subject])
    other = CollectionObjectFactory(makers=[MakerFactory()])
    cached(client, named.get_absolute_url(), other.get_absolute_url(), maker.get_absolute_url())

    maker.name = "Punchdrunk Theatre"
    maker.save()
    subject.name = "Puppets and puppetry"
    subject.save()

    page = html(client, named.get_absolute_url())
    assert "Punchdrunk Theatre" in page and "Puppets and puppetry" in page
    assert "Punchdrunk Theatre" in html(client, maker.get_absolute_url())
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_featuring_a_call_response_retires_its_call_page_not_object_pages(client):
    call = CallPageFactory(title="Your memories of the fire")
    response = MemoryFactory(call=call, text="The smoke over Lavender Hill.")
    other = CollectionObjectFactory()
    cached(client, call.url, other.get_absolute_url())

    memory_updates.memory_feature(memory=response, featured=True)

    assert cache_state(client, call.url) == "miss"
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_accepting_an_identification_retires_the_objects_pages_only(client, editor):
    identified, other = CollectionObjectFactory.create_batch(2)
    suggestion = identification_services.Suggestion(
        object_id=identified.pk, kind="person", value="Maggie Thompson", email="h@example.org"
    )
    identification, _ = identification_services.identification_submit(suggestion=suggestion)
    cached(client, identified.get_absolute_url(), other.get_absolute_url())

    identification_services.identification_accept(
        identification=identification,
        acceptance=identification_services.Acceptance(value="Maggie Thompson"),
        user=editor,
    )

    assert "Maggie Thompson" in html(client, identified.get_absolute_url())
    assert cache_state(client, other.get_absolute_url()) == "hit"


def test_writing_the_open_data_dump_retires_the_open_data_page_only(client, settings, tmp_path):
    settings.OPENDATA_DUMP_DIR = tmp_path / "opendata"
    obj = CollectionObjectFactory()
    open_data = OpenDataPage.objects.get().url
    cached(client, open_data, obj.get_absolute_url(), BROWSE)

    dumps.opendata_dump_write()

    assert 'href="/open-data/downloads/objects.csv.gz"' in html(client, open_data)
    assert cache_state(client, obj.get_absolute_url()) == "hit"
    assert cache_state(client, BROWSE) == "hit"


def test_an_object_a_story_no_longer_features_loses_it_once_the_worker_reindexed(
    client, settings, django_capture_on_commit_callbacks
):
    """Under Celery the reference index is rewritten after the publish commits: a
    visit in between still finds the old references, so the worker's run retires the
    pages that showed the story again (`story:<id>`)."""
    kept, dropped = CollectionObjectFactory.create_batch(2)
    story = StoryPageFactory(
        title="Two handbills", body=[object_block(kept), object_block(dropped)]
    )
    settings.TASKS = {"default": {"BACKEND": "bac_collection.django_tasks_celery.CeleryBackend"}}
    cached(client, dropped.get_absolute_url())

    story = StoryPage.objects.get(pk=story.pk)
    story.body = [object_block(kept)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.save_revision().publish()
    jobs = [callback for callback in callbacks if callback.__name__ == "send_to_celery"]
    assert jobs
    for callback in callbacks:
        if callback not in jobs:
            callback()  # the commit's own bumps
    assert "Two handbills" in html(client, dropped.get_absolute_url()), "index not yet rewritten"

    for job in jobs:
        job()  # the worker rewrites the index

    assert "Two handbills" not in html(client, dropped.get_absolute_url())
