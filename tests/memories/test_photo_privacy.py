"""A memory's photo and recording reach the public only through what moderation
allows: originals and recordings are private files no /media/ URL reaches, a photo's
renditions answer only while its memory is approved, and each approval publishes
them under new names."""

import importlib
import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from PIL import Image

from images.models import ArchiveRendition
from memories import services
from memories.links import private_url
from memories.models import Memory
from tests.images.files import GPS_IFD, jpeg_with_gps, photos_with_gps

from .support import form_data, mp3_bytes, upload

pytestmark = pytest.mark.django_db


def gps_photo() -> bytes:
    """A real camera photo with GPS from the shared data, else a made one."""
    shared = photos_with_gps()
    return shared[0].read_bytes() if shared else jpeg_with_gps(800, 600)


def share(client, capture, *, photo: bytes | None = None, audio: bool = False) -> Memory:
    data = form_data()
    if photo is not None:
        data["photo"] = upload("me.jpg", photo, "image/jpeg")
    if audio:
        data["audio"] = upload("me.mp3", mp3_bytes(2), "audio/mpeg")
    with capture(execute=True):
        assert client.post("/memories/share/", data).status_code == 302
    return Memory.objects.get()


def media_urls(memory) -> list[str]:
    return [
        "/media/" + name
        for name in ArchiveRendition.objects.filter(image=memory.photo_id).values_list(
            "file", flat=True
        )
    ]


def statuses(client, urls) -> set[int]:
    return {client.get(url).status_code for url in urls}


def approve(memory, capture):
    with capture(execute=True):  # the renditions are rebuilt once approval commits
        services.memory_approve(memory=memory, user=None)


def reject(memory, capture):
    with capture(execute=True):
        services.memory_reject(memory=memory, user=None, reason="A face can be recognised.")


@pytest.fixture
def moderator_client(client, django_user_model):
    user = django_user_model.objects.create_user("vol", "vol@bac.example", "pw")
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return client


def test_a_photo_is_served_only_while_its_memory_is_approved(
    client,
    django_capture_on_commit_callbacks,
    serve_media_in_production,  # noqa: F811
    media_root,
):
    memory = share(client, django_capture_on_commit_callbacks, photo=jpeg_with_gps(640, 480))
    pending = media_urls(memory)
    assert pending and statuses(client, pending) == {404}

    approve(memory, django_capture_on_commit_callbacks)
    approved = media_urls(memory)
    assert statuses(client, approved) == {200}
    assert not set(approved) & set(pending)  # published under new names
    assert statuses(client, pending) == {404}
    cache_control = client.get(approved[0])["Cache-Control"]
    assert "max-age=300" in cache_control and "immutable" not in cache_control

    reject(memory, django_capture_on_commit_callbacks)
    assert statuses(client, approved) == {404}
    assert not ArchiveRendition.objects.filter(image=memory.photo_id).exists()
    assert not any((media_root / url.removeprefix("/media/")).exists() for url in approved)


def test_a_url_from_before_a_rejection_never_answers_again(
    client,
    django_capture_on_commit_callbacks,
    serve_media_in_production,  # noqa: F811
):
    memory = share(client, django_capture_on_commit_callbacks, photo=jpeg_with_gps(640, 480))
    approve(memory, django_capture_on_commit_callbacks)
    first = media_urls(memory)
    assert statuses(client, first) == {200}

    reject(memory, django_capture_on_commit_callbacks)
    approve(memory, django_capture_on_commit_callbacks)

    again = media_urls(memory)
    assert statuses(client, again) == {200}
    assert statuses(client, first) == {404}


def test_moderators_see_a_pending_photo_and_nothing_keeps_a_copy(
    client,
    django_capture_on_commit_callbacks,
    serve_media_in_production,  # noqa: F811
    moderator_client,
):
    memory = share(client, django_capture_on_commit_callbacks, photo=jpeg_with_gps(640, 480))
    url = media_urls(memory)[0]

    review = moderator_client.get(f"/admin/memories/review/{memory.pk}/")
    seen = moderator_client.get(url)

    assert "/media/images/" in review.content.decode()
    assert seen.status_code == 200
    assert "no-store" in seen["Cache-Control"] and "private" in seen["Cache-Control"]
    moderator_client.logout()
    assert client.get(url).status_code == 404


def test_the_contributor_sees_their_pending_photo_on_their_private_page(
    client,
    django_capture_on_commit_callbacks,
    serve_media_in_production,  # noqa: F811
):
    memory = share(client, django_capture_on_commit_callbacks, photo=gps_photo())
    link = private_url(memory.public_id)

    page = client.get(link).content.decode()
    photo = client.get(link + "photo/")

    assert f'src="{link}photo/"' in page
    assert "/media/images/" not in page
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(photo.streaming_content))) as shown:
        assert not shown.getexif().get_ifd(GPS_IFD)
    assert "no-cache" in photo["Cache-Control"]


def test_a_pending_memory_recording_is_unreachable_by_any_media_url(
    client,
    django_capture_on_commit_callbacks,
    media_mode,  # noqa: F811
    media_root,
    private_media_root,
):
    memory = share(client, django_capture_on_commit_callbacks, audio=True)
    name = memory.audio.name
    urls = [
        f"/media/{name}",
        f"/media/images/..%2f{quote(name, safe='')}",
        f"/media/images/%2e%2e/{name}",
        f"/media/images/../{name}",
        f"/media/images/..%2f..%2f{private_media_root.name}%2f{quote(name, safe='')}",
        "/media/" + quote(str(private_media_root / name)),
    ]
    assert statuses(client, urls) == {404}
    assert client.get(f"/memories/{memory.public_id}/audio/").status_code == 404
    assert client.get(private_url(memory.public_id) + "audio/").status_code == 200
    assert (private_media_root / name).is_file()
    assert not (media_root / name).exists()


@pytest.mark.parametrize("role", ["superuser", "moderator"])
def test_opening_a_memory_photo_in_the_admin_writes_no_file_with_gps(
    client,
    django_capture_on_commit_callbacks,
    serve_media_in_production,  # noqa: F811
    django_user_model,
    media_root,
    role,
):
    original = gps_photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # it really has GPS
    memory = share(client, django_capture_on_commit_callbacks, photo=original)
    image_id = memory.photo_id
    user = django_user_model.objects.create_user(role, f"{role}@bac.example", "pw")
    if role == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()
    else:
        user.groups.add(Group.objects.get(name="Moderators"))
    staff = client.__class__()
    staff.force_login(user)

    pages = (
        f"/admin/images/{image_id}/",
        "/admin/images/",
        "/admin/images/chooser/",
        f"/admin/memories/review/{memory.pk}/",
        f"/admin/memories/memory/edit/{memory.pk}/",
    )
    opened = {url: staff.get(url).status_code for url in pages}
    if role == "superuser":
        assert set(opened.values()) == {200}, opened
    for spec in ("original", "max-800x600", "fill-300x200"):
        preview = staff.get(f"/admin/images/{image_id}/preview/{spec}/")
        if preview.status_code == 200:
            assert not _has_metadata(b"".join(preview.streaming_content)), spec

    written = [path for path in Path(media_root).rglob("*") if path.is_file()]
    assert written  # the pipeline's renditions, at least
    assert not [path for path in written if path.read_bytes() == original]
    assert not [path for path in written if _has_metadata(path.read_bytes())]
    assert not (media_root / "original_images").exists()
    # Nothing written for this pending memory is public.
    assert statuses(client, ["/media/" + str(p.relative_to(media_root)) for p in written]) == {404}


def _has_metadata(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD) or image.info.get("exif"))


def test_the_migration_moves_recordings_out_of_media_root(
    client, django_capture_on_commit_callbacks, media_root, private_media_root
):
    migration = importlib.import_module("memories.migrations.0003_private_audio")
    memory = share(client, django_capture_on_commit_callbacks, audio=True)
    # Where an install from before private storage keeps it.
    (media_root / memory.audio.name).parent.mkdir(parents=True)
    (private_media_root / memory.audio.name).rename(media_root / memory.audio.name)

    migration.audio_to_private(apps, None)

    assert (private_media_root / memory.audio.name).is_file()
    assert not (media_root / memory.audio.name).exists()
    assert client.get(private_url(memory.public_id) + "audio/").status_code == 200
