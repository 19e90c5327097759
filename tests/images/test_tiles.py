"""Deep zoom: each original's tile pyramid, built by the `images` job after its
derivatives, listed in the IIIF info.json and served tile by tile to the
original's full resolution; never half-built, gone with its image, held back by
a content warning until staff confirm, 404 JSON once not public."""

import io
import math
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image, ImageChops, ImageOps, ImageStat
from wagtail.models import Collection

from images import tiles
from images.deep_zoom import archive_image_build_tiles, image_tiles_folder
from images.models import ArchiveImage
from images.services import archive_image_from_path
from memories.models import PHOTO_COLLECTION
from tests.factories.images import ArchiveImageFactory
from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory
from tests.images import files

pytestmark = pytest.mark.django_db

# 1500 x 1000 stored on its side (EXIF orientation 6): 1000 x 1500 upright.
WIDTH, HEIGHT = 1000, 1500


@pytest.fixture
def scan_path(tmp_path):
    path = tmp_path / "poster-scan.jpg"
    path.write_bytes(files.jpeg_with_gps(HEIGHT, WIDTH, orientation=6, quality=95))
    return path


@pytest.fixture
def upload(scan_path, django_capture_on_commit_callbacks):
    """An uploaded scan, processed and tiled by its jobs as each transaction commits."""

    def make(**object_fields):
        with django_capture_on_commit_callbacks(execute=True):
            image = archive_image_from_path(path=scan_path, title="Poster scan")
            obj = CollectionObjectFactory(title="Poster", **object_fields)
            ObjectImageFactory(object=obj, image=image)
        image.refresh_from_db()
        return image, obj

    return make


def info(client, image):
    response = client.get(f"/iiif/image/{image.pk}/info.json")
    assert response.status_code == 200
    return response.json()


def get_tile(client, image, region, size):
    return client.get(f"/iiif/image/{image.pk}/{region}/{size}/0/default.jpg")


def decoded(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def osd_tile_paths(info):
    """Every tile request OpenSeadragon makes for a IIIF 3 level 0 service with
    `tiles`, as its IIIFTileSource.getTileUrl writes them (region, size)."""
    width, height = info["width"], info["height"]
    tile = info["tiles"][0]["width"]
    max_level = round(math.log2(max(info["tiles"][0]["scaleFactors"])))
    for level in range(max_level + 1):
        scale = 0.5 ** (max_level - level)
        level_w, level_h = math.ceil(width * scale), math.ceil(height * scale)
        if level_w < tile and level_h < tile:
            full = level_w == width and level_h == height
            yield "full", "max" if full else f"{level_w},{level_h}"
            continue
        span = round(tile / scale)
        for column in range(math.ceil(level_w / tile)):
            for row in range(math.ceil(level_h / tile)):
                x, y = column * span, row * span
                w, h = min(span, width - x), min(span, height - y)
                region = "full" if (w, h) == (width, height) else f"{x},{y},{w},{h}"
                size_w = min(tile, level_w - column * tile)
                size_h = min(tile, level_h - row * tile)
                yield region, f"{size_w},{size_h}"


def test_the_pyramid_is_built_after_the_derivatives_and_listed_in_info_json(client, upload):
    image, _ = upload()

    assert image.processing_status == ArchiveImage.ProcessingStatus.READY
    assert image.tile_pyramid["source_hash"] == image.file_hash
    description = info(client, image)
    # The original's size, upright, so clients zoom to its pixels.
    assert (description["width"], description["height"]) == (WIDTH, HEIGHT)
    assert description["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    # "max" stays the largest derivative (the original is never sent whole).
    assert (description["maxWidth"], description["maxHeight"]) == (1000, 1500)
    assert description["sizes"][-1] == {"width": 1000, "height": 1500}


def test_a_tile_at_scale_factor_1_is_the_originals_pixels(client, upload, scan_path):
    image, _ = upload()
    original = ImageOps.exif_transpose(Image.open(scan_path)).convert("RGB")

    response = get_tile(client, image, "512,1024,488,476", "488,476")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("public")
    served = decoded(response)
    assert served.size == (488, 476)
    assert not served.getexif()  # no GPS or camera data in any tile
    expected = original.crop((512, 1024, 1000, 1500))
    difference = ImageStat.Stat(ImageChops.difference(served.convert("RGB"), expected)).mean
    assert max(difference) < 4  # JPEG noise, not another part of the picture
    etag = response["ETag"]
    revalidated = client.get(
        f"/iiif/image/{image.pk}/512,1024,488,476/488,476/0/default.jpg",
        HTTP_IF_NONE_MATCH=etag,
    )
    assert revalidated.status_code == 304


def test_every_tile_openseadragon_asks_for_is_served(client, upload):
    image, _ = upload()
    description = info(client, image)

    requests = list(osd_tile_paths(description))

    assert ("full", "250,375") in requests  # the smallest level, whole
    assert ("0,0,512,512", "512,512") in requests  # scale factor 1
    for region, size in requests:
        response = get_tile(client, image, region, size)
        assert response.status_code == 200, (region, size, response.content)
        expected = tuple(int(n) for n in size.split(","))
        assert decoded(response).size == expected


@pytest.mark.parametrize(
    "region, size, status",
    [
        ("0,0,512,512", "256,256", 501),  # a tile's region at another size: resizing
        ("100,0,512,512", "512,512", 501),  # off the tile grid
        ("0,0,1000,1024", "1000,1024", 501),  # scale factor 2's region at full size
        ("0,0,512,512", "^1024,1024", 501),
        ("0,0,512,512", "9999,9999", 400),  # more than the full image without ^
    ],
)
def test_requests_that_are_not_tiles_are_answered_as_the_image_api_says(
    client, upload, region, size, status
):
    image, _ = upload()

    response = get_tile(client, image, region, size)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"


def test_building_again_is_a_no_op_and_rebuilding_replaces_the_folder_whole(
    upload, django_capture_on_commit_callbacks
):
    image, _ = upload()
    first = image.tile_pyramid["key"]

    assert archive_image_build_tiles(image_id=image.pk) == "up to date"
    # A pyramid cut with another tile size is rebuilt under a new key.
    ArchiveImage.objects.filter(pk=image.pk).update(
        tile_pyramid={**image.tile_pyramid, "tile_size": 256}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert archive_image_build_tiles(image_id=image.pk) == "built"

    image.refresh_from_db()
    assert image.tile_pyramid["key"] != first
    # Once the new row commits, the old folder is gone.
    assert [p.name for p in image_tiles_folder(image.pk).iterdir()] == [image.tile_pyramid["key"]]


def test_a_pyramid_being_built_is_never_served(client, upload, monkeypatch):
    image, _ = upload(content_warning="Flashing images")  # held back: no pyramid yet
    assert image.tile_pyramid == {}
    ArchiveImage.objects.filter(pk=image.pk).update(deep_zoom_confirmed=True)
    seen_while_building = []
    write_level = tiles._write_level

    def write_level_then_look(level, folder, tile_size):
        written = write_level(level, folder, tile_size)
        # The tiles of scale factor 1 are on disk, in the hidden build folder.
        assert (folder.parent / "1" / "0_0.jpg").is_file()
        assert folder.parent.name.startswith(".building-")
        seen_while_building.append(
            (
                get_tile(client, image, "0,0,512,512", "512,512").status_code,
                "tiles" in info(client, image),
            )
        )
        return written

    monkeypatch.setattr(tiles, "_write_level", write_level_then_look)
    assert archive_image_build_tiles(image_id=image.pk) == "built"

    assert seen_while_building == [(501, False)] * 3  # one look per level
    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 200


def test_a_build_that_fails_half_way_leaves_nothing_behind(client, upload, monkeypatch):
    image, _ = upload(content_warning="Flashing images")
    ArchiveImage.objects.filter(pk=image.pk).update(deep_zoom_confirmed=True)
    write_level = tiles._write_level

    def fail_after_the_first_level(level, folder, tile_size):
        if folder.name != "1":
            raise OSError("No space left on device")
        return write_level(level, folder, tile_size)

    monkeypatch.setattr(tiles, "_write_level", fail_after_the_first_level)
    with pytest.raises(OSError):
        archive_image_build_tiles(image_id=image.pk)

    image.refresh_from_db()
    assert image.tile_pyramid == {}
    assert list(image_tiles_folder(image.pk).iterdir()) == []
    assert "tiles" not in info(client, image)


def test_a_deleted_images_tiles_are_deleted_and_answer_404_json(
    client, upload, django_capture_on_commit_callbacks
):
    image, _ = upload()
    folder = image_tiles_folder(image.pk)
    assert any(folder.iterdir())

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not folder.exists()
    response = get_tile(client, image, "0,0,512,512", "512,512")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_an_unpublished_objects_tiles_answer_404_json(client, upload):
    image, obj = upload()
    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 200

    obj.live = False
    obj.save()

    for path in ("0,0,512,512/512,512/0/default.jpg", "info.json"):
        response = client.get(f"/iiif/image/{image.pk}/{path}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_tiles_are_held_back_by_a_content_warning_until_staff_confirm(
    client, staff_client, upload, django_capture_on_commit_callbacks
):
    image, _ = upload(content_warning="Depicts violence")

    assert image.tile_pyramid == {}
    assert not image_tiles_folder(image.pk).exists()
    assert "tiles" not in info(client, image)
    assert info(client, image)["width"] == 1000  # the largest derivative

    edit_url = reverse("wagtailimages:edit", args=[image.pk])
    assert 'name="deep_zoom_confirmed"' in staff_client.get(edit_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            edit_url,
            {"title": image.title, "collection": image.collection_id, "deep_zoom_confirmed": "on"},
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.deep_zoom_confirmed
    assert info(client, image)["tiles"][0]["scaleFactors"] == [1, 2, 4]
    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 200


def test_a_warning_added_later_withdraws_the_tiles_and_lifting_it_restores_them(
    client, upload, django_capture_on_commit_callbacks
):
    image, obj = upload()
    obj.content_warning = "Depicts violence"
    obj.save()

    assert "tiles" not in info(client, image)
    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 501

    obj.content_warning = ""
    with django_capture_on_commit_callbacks(execute=True):
        obj.save()
    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 200


def test_a_warning_lifted_before_any_tiles_were_made_queues_them(
    client, upload, django_capture_on_commit_callbacks
):
    image, obj = upload(content_warning="Depicts violence")
    assert image.tile_pyramid == {}

    obj.content_warning = ""
    with django_capture_on_commit_callbacks(execute=True):
        obj.save()

    image.refresh_from_db()
    assert image.tile_pyramid["scale_factors"] == [1, 2, 4]


def test_the_manifest_canvas_has_the_originals_size(client, upload):
    image, obj = upload()

    manifest = client.get(f"/iiif/objects/{obj.slug}/manifest.json").json()

    canvas = manifest["items"][0]
    assert (canvas["width"], canvas["height"]) == (WIDTH, HEIGHT)
    body = canvas["items"][0]["items"][0]["body"]
    assert body["service"][0]["id"].endswith(f"/iiif/image/{image.pk}")


def test_the_media_url_never_serves_tiles(client, upload, serve_media_in_production):
    image, _ = upload()
    key = image.tile_pyramid["key"]

    response = client.get(f"/media/tiles/{image.pk}/{key}/1/0_0.jpg")

    assert response.status_code == 404


def test_a_memory_photo_gets_no_tiles():
    # The memories' collection (made by their migration) marks contributors' photos.
    photos = Collection.objects.get(name=PHOTO_COLLECTION)
    photo = ArchiveImageFactory(processing_status="ready", collection=photos)

    assert archive_image_build_tiles(image_id=photo.pk) == "memory photo"
    assert not image_tiles_folder(photo.pk).exists()


def test_build_tiles_command_tiles_the_images_that_have_none(upload):
    image, _ = upload()
    ArchiveImage.objects.filter(pk=image.pk).update(tile_pyramid={})
    out = io.StringIO()

    call_command("build_tiles", "--missing", stdout=out)

    assert out.getvalue() == "1 image(s): built\n"
    image.refresh_from_db()
    assert image.tile_pyramid["scale_factors"] == [1, 2, 4]
    out = io.StringIO()
    call_command("build_tiles", stdout=out)
    assert out.getvalue() == "1 image(s): up to date\n"


def test_a_pyramid_whose_folder_is_gone_is_built_again(client, upload):
    image, _ = upload()
    shutil.rmtree(image_tiles_folder(image.pk))
    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 404

    assert archive_image_build_tiles(image_id=image.pk) == "built"

    assert get_tile(client, image, "0,0,512,512", "512,512").status_code == 200
