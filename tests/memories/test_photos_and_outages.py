"""Photos lose EXIF/GPS before they are public; a broker outage loses nothing."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image
from wagtail.models import Collection

from images.models import ArchiveImage, ArchiveRendition
from memories.models import Memory
from memories.tasks import memories_sweep
from tests.factories.memories import MemoryFactory
from tests.factories.objects import CollectionObjectFactory
from tests.images.files import jpeg_with_gps, photos_with_gps

from .support import form_data, upload

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


@pytest.mark.parametrize(
    "source",
    photos_with_gps()[:3] or [pytest.param(None, marks=pytest.mark.skip("no shared images"))],
    ids=lambda p: p.name if p else "none",
)
def test_a_published_photo_has_no_exif_or_gps(
    client, django_capture_on_commit_callbacks, media_root, source
):
    original = source.read_bytes()
    assert Image.open(source).getexif().get_ifd(GPS_IFD)  # the test file really has GPS
    obj = CollectionObjectFactory()
    data = form_data()
    data["photo"] = upload(source.name, original, "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/memories/share/?object={obj.slug}", data).status_code == 302
    memory = Memory.objects.get()
    Memory.objects.filter(pk=memory.pk).update(status=Memory.Status.APPROVED)
    memory.photo.refresh_from_db()
    assert memory.photo.processing_status == ArchiveImage.ProcessingStatus.READY
    assert memory.photo.collection.name == "Community memories"
    assert source.stem not in memory.photo.file.name  # the contributor's file name is dropped

    renditions = ArchiveRendition.objects.filter(image=memory.photo)
    assert renditions.exists()
    for rendition in renditions:
        with Image.open(Path(media_root) / rendition.file.name) as public:
            assert not public.getexif().get_ifd(GPS_IFD), rendition.file.name
            assert "exif" not in public.info, rendition.file.name

    html = client.get(obj.get_absolute_url()).content.decode()
    assert "/media/images/" in html
    assert memory.photo.file.name not in html  # the original is never linked


def test_with_the_broker_down_the_memory_is_saved_and_the_sweep_catches_up(
    client,
    django_capture_on_commit_callbacks,
    unreachable_broker,
):
    data = form_data()
    data["photo"] = upload("p.jpg", jpeg_with_gps(640, 480), "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/memories/share/", data)

    assert response.status_code == 302  # the contributor sees the thank-you page
    memory = Memory.objects.get()
    assert memory.confirmation_sent_at is None and memory.moderators_notified_at is None
    assert memory.photo.processing_status == ArchiveImage.ProcessingStatus.PENDING
    assert mail.outbox == []
    assert client.get(response["Location"]).status_code == 200

    # Still down: the sweep queues nothing and raises nothing.
    memories_sweep(older_than=timedelta(0))
    assert mail.outbox == []


def test_the_sweep_sends_what_an_outage_left_undone(client, django_capture_on_commit_callbacks):
    memory = MemoryFactory(status=Memory.Status.PENDING, contact__email="late@example.org")
    photo = ArchiveImage.objects.create(
        title="t",
        file=upload("x.jpg", jpeg_with_gps(320, 240)),
        collection=Collection.objects.get(name="Community memories"),
    )
    ArchiveImage.objects.filter(pk=photo.pk).update(
        processing_status=ArchiveImage.ProcessingStatus.PENDING
    )

    with django_capture_on_commit_callbacks(execute=True):
        counts = memories_sweep(older_than=timedelta(seconds=-60))
        again = memories_sweep(older_than=timedelta(seconds=-60))

    assert counts["confirmations"] == 1 and counts["moderator_notices"] == 1
    assert counts["photos"] >= 1
    assert again["confirmations"] == 0  # sent once, never twice
    assert sorted(m.to[0] for m in mail.outbox) == ["late@example.org", "moderators@bac.example"]
    memory.refresh_from_db()
    assert memory.confirmation_sent_at and memory.moderators_notified_at
    photo.refresh_from_db()
    assert photo.processing_status == ArchiveImage.ProcessingStatus.READY
