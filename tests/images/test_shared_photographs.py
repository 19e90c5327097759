"""Real photographs from ../shared/data/images (see its manifest.csv); skipped without them."""

import csv
import io

import pytest
from PIL import Image, ImageChops, ImageStat

from images.services import archive_image_from_path
from tests.conftest import SHARED_DATA

IMAGES = SHARED_DATA / "images"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (IMAGES / "manifest.csv").exists(), reason="no shared photographs"),
]


def manifest():
    if not (IMAGES / "manifest.csv").exists():
        return []
    with (IMAGES / "manifest.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def process(name, capture):
    with capture(execute=True):
        image = archive_image_from_path(path=IMAGES / name, title=name)
    image.refresh_from_db()
    assert image.processing_status == "ready", image.processing_error
    return image


def detail_jpeg(image):
    rendition = image.renditions.get(filter_spec__startswith="max-2048x2048|format-jpeg")
    with rendition.file.open("rb") as f:
        data = f.read()
    return data, Image.open(io.BytesIO(data))


@pytest.mark.parametrize(
    "row", [r for r in manifest() if r["has_gps"] == "1"], ids=lambda r: r["file"]
)
def test_location_and_camera_data_never_reach_a_public_file(
    row, django_capture_on_commit_callbacks
):
    image = process(row["file"], django_capture_on_commit_callbacks)

    for rendition in image.renditions.all():
        with rendition.file.open("rb") as f:
            data = f.read()
        opened = Image.open(io.BytesIO(data))
        assert not opened.getexif(), rendition.filter_spec
        assert b"Exif\x00\x00" not in data and b"http://ns.adobe.com/xap" not in data


def test_every_exif_orientation_comes_out_looking_the_same(
    django_capture_on_commit_callbacks, settings
):
    settings.IMAGES_AVIF_ENABLED = False  # not what is tested here, and slow to encode
    upright = detail_jpeg(
        process("orientation__Landscape_0.jpg", django_capture_on_commit_callbacks)
    )
    reference = upright[1].convert("L").resize((90, 60))

    for orientation in range(1, 9):
        _, opened = detail_jpeg(
            process(f"orientation__Landscape_{orientation}.jpg", django_capture_on_commit_callbacks)
        )
        assert opened.size == (1800, 1200), orientation
        difference = ImageChops.difference(reference, opened.convert("L").resize((90, 60)))
        assert ImageStat.Stat(difference).mean[0] < 8, f"orientation {orientation} is wrong"


def test_a_16_bit_greyscale_tiff_keeps_its_contrast(django_capture_on_commit_callbacks):
    _, opened = detail_jpeg(
        process("skimage__chessboard_GRAY_U16.tif", django_capture_on_commit_callbacks)
    )

    darkest, brightest = opened.convert("L").getextrema()
    assert darkest < 20 and brightest > 235
