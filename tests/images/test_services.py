import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from images.models import ArchiveImage, ArchiveRendition
from images.renditions import all_derivatives
from images.services import archive_image_from_path
from tests.images import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def write(tmp_path):
    def write(name, data):
        path = tmp_path / "incoming" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return path

    return write


def import_and_process(path, capture, **kwargs):
    with capture(execute=True):
        image = archive_image_from_path(path=path, title=kwargs.pop("title", "Scan"), **kwargs)
    image.refresh_from_db()
    return image


def open_rendition(rendition):
    with rendition.file.open("rb") as f:
        data = f.read()
    return data, Image.open(io.BytesIO(data))


def test_a_phone_photo_becomes_upright_derivatives_without_any_metadata(
    write, django_capture_on_commit_callbacks
):
    # Stored sideways (orientation 6 = rotate 90° clockwise to view), with GPS.
    path = write("phone.jpg", files.jpeg_with_gps(1500, 1000, orientation=6))

    image = import_and_process(path, django_capture_on_commit_callbacks, credit="A. Visitor")

    assert image.processing_status == "ready", image.processing_error
    assert image.credit == "A. Visitor"
    renditions = list(image.renditions.all())
    assert len(renditions) == len(all_derivatives())
    formats = set()
    for rendition in renditions:
        data, opened = open_rendition(rendition)
        formats.add(opened.format)
        assert (opened.width, opened.height) == (rendition.width, rendition.height)
        assert not opened.getexif(), rendition.filter_spec
        assert "exif" not in opened.info and "xmp" not in opened.info
        assert b"Test Phone 3000" not in data and b"GPS" not in data
        if not rendition.filter_spec.startswith("fill-"):
            assert opened.height > opened.width, f"{rendition.filter_spec} is not upright"
    assert {"JPEG", "WEBP", "AVIF"} <= formats


def test_dominant_colour_placeholder_and_hash_are_recorded(
    write, django_capture_on_commit_callbacks
):
    red = Image.new("RGB", (900, 600), (190, 20, 30))
    path = write("red.png", files.encoded(red, "PNG"))

    image = import_and_process(path, django_capture_on_commit_callbacks)

    red_channel = int(image.dominant_colour[1:3], 16)
    assert red_channel > 170 and int(image.dominant_colour[3:5], 16) < 50
    assert image.placeholder.startswith("data:image/webp;base64,")
    assert len(image.placeholder) < 1000
    assert len(image.perceptual_hash) == 16


def test_cmyk_and_16_bit_originals_come_out_as_8_bit_srgb(
    write, django_capture_on_commit_callbacks
):
    cmyk = Image.new("CMYK", (400, 300), (0, 255, 255, 0))  # pure red ink
    grey16 = Image.new("I;16", (300, 300), 40000)

    for name, data in [
        ("cmyk.jpg", files.encoded(cmyk, "JPEG", quality=95)),
        ("grey16.tif", files.encoded(grey16, "TIFF")),
    ]:
        image = import_and_process(write(name, data), django_capture_on_commit_callbacks)
        assert image.processing_status == "ready", image.processing_error
        rendition = image.renditions.get(filter_spec__startswith="max-640x640|format-jpeg")
        _, opened = open_rendition(rendition)
        assert opened.mode == "RGB"
        centre = opened.getpixel((opened.width // 2, opened.height // 2))
        if name == "cmyk.jpg":
            assert centre[0] > 200 and centre[1] < 60 and centre[2] < 60
        else:  # 40000 of 65535 is a mid-light grey, not clipped to white
            assert all(140 < channel < 175 for channel in centre)


def test_importing_the_same_bytes_twice_gives_back_the_same_image(
    write, django_capture_on_commit_callbacks
):
    data = files.encoded(files.photo(), "JPEG")
    first = import_and_process(write("a.jpg", data), django_capture_on_commit_callbacks)
    second = import_and_process(
        write("copy-of-a.jpg", data), django_capture_on_commit_callbacks, title="Again"
    )

    assert second.pk == first.pk
    assert ArchiveImage.objects.count() == 1
    assert ArchiveRendition.objects.count() == len(all_derivatives())


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.jpg", files.HTML_PAGE, "web page (HTML)"),
        ("drawing.jpg", files.SVG_WITH_SCRIPT, "XML or SVG document"),
        ("drawing.svg", files.SVG_WITH_SCRIPT, "XML or SVG document"),
        ("half.jpg", files.truncated_jpeg(), "truncated or damaged"),
        ("empty.png", b"", "empty"),
    ],
)
def test_hostile_or_broken_files_are_refused_with_a_clear_message(write, name, data, message):
    with pytest.raises(ValidationError) as refused:
        archive_image_from_path(path=write(name, data), title="Bad")

    assert message in " ".join(refused.value.messages)
    assert not ArchiveImage.objects.exists()


@pytest.mark.parametrize("side", [13_000, 60_000])
def test_decompression_bombs_are_refused_from_the_header_without_decoding(write, side):
    path = write("bomb.png", files.png_claiming_size(side, side))

    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        archive_image_from_path(path=path, title="Bomb")

    assert time.perf_counter() - started < 0.5
    assert "the limit is 150 megapixels" in refused.value.messages[0]
    assert not ArchiveImage.objects.exists()


def test_files_over_the_byte_limit_are_refused(write, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10_000
    noise = Image.frombytes("L", (200, 200), os.urandom(200 * 200))
    path = write("big.png", files.encoded(noise, "PNG"))

    with pytest.raises(ValidationError, match="too big"):
        archive_image_from_path(path=path, title="Big")
