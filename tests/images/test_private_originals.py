"""Originals live in private storage and nothing Wagtail makes from them carries
their metadata: every rendition, the admin's preview and its `original` included."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.models import Collection

from images.models import ArchiveImage
from images.services import archive_image_from_path
from tests.images import files

pytestmark = pytest.mark.django_db


def metadata(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return {
            "gps": dict(image.getexif().get_ifd(files.GPS_IFD)),
            "exif": image.info.get("exif"),
            "xmp": image.info.get("xmp"),
            "size": image.size,
        }


def test_an_original_uploaded_by_staff_lives_in_private_storage(
    staff_client,
    media_root,
    private_media_root,
):
    response = staff_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Programme, 1999",
            "file": SimpleUploadedFile("programme.jpg", files.jpeg_with_gps(640, 480)),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 302
    image = ArchiveImage.objects.get()
    assert (private_media_root / image.file.name).is_file()
    assert not list(media_root.rglob("programme*.jpg"))  # only renditions are public
    with pytest.raises(ValueError, match="no URL"):
        image.file.url  # noqa: B018


def test_the_importer_stores_originals_privately(tmp_path, media_root, private_media_root):
    source = tmp_path / "scan.jpg"
    source.write_bytes(files.jpeg_with_gps(320, 240))

    image = archive_image_from_path(path=source, title="Scan")

    assert (private_media_root / image.file.name).read_bytes() == source.read_bytes()
    assert not (media_root / image.file.name).exists()


def test_every_rendition_wagtail_makes_is_upright_and_without_metadata(media_root):
    # Stored on its side (orientation 6): upright it is 480 wide and 640 high.
    original = files.jpeg_with_gps(640, 480, orientation=6)
    assert metadata(original)["gps"]
    image = ArchiveImage.objects.create(
        title="Phone photo", file=SimpleUploadedFile("phone.jpg", original)
    )

    single = image.get_rendition("original")
    several = image.get_renditions("max-200x200", "width-100|format-png", "fill-50x50")

    for rendition in [single, *several.values()]:
        found = metadata((media_root / rendition.file.name).read_bytes())
        assert not found["gps"] and not found["exif"] and not found["xmp"], rendition.filter_spec
    assert metadata((media_root / single.file.name).read_bytes())["size"] == (480, 640)


def test_the_admin_preview_carries_no_metadata(staff_client):
    image = ArchiveImage.objects.create(
        title="Phone photo", file=SimpleUploadedFile("phone.jpg", files.jpeg_with_gps(640, 480))
    )

    for spec in ("original", "width-300", "fill-200x100"):
        response = staff_client.get(reverse("wagtailimages:preview", args=[image.pk, spec]))
        assert response.status_code == 200
        found = metadata(b"".join(response.streaming_content))
        assert not found["gps"] and not found["exif"], spec


def test_the_migration_moves_originals_out_of_media_root(media_root, private_media_root):
    migration = importlib.import_module("images.migrations.0002_private_originals")
    image = ArchiveImage.objects.create(
        title="Scan", file=SimpleUploadedFile("scan.jpg", files.jpeg_with_gps(320, 240))
    )
    # Where an install from before private storage keeps it.
    (media_root / image.file.name).parent.mkdir(parents=True)
    (private_media_root / image.file.name).rename(media_root / image.file.name)

    migration.originals_to_private(apps, None)
    migration.originals_to_private(apps, None)  # a rerun finds nothing left to move

    assert (private_media_root / image.file.name).is_file()
    assert not (media_root / image.file.name).exists()
    assert image.get_rendition("max-100x100").width == 100
