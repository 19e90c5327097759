"""Uploading through the Wagtail admin: hostile files refused, good ones queued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.models import Collection

from images.models import ArchiveImage
from tests.images import files

pytestmark = pytest.mark.django_db


def upload_multiple(client, name, data):
    response = client.post(
        reverse("wagtailimages:add_multiple"),
        # The collection to file it in (there is more than one: memories have their own).
        {
            "files[]": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("page.jpg", files.HTML_PAGE, "web page (HTML)"),
        ("logo.jpg", files.SVG_WITH_SCRIPT, "XML or SVG document"),
        ("logo.svg", files.SVG_WITH_SCRIPT, "XML or SVG document"),
        ("half.jpg", files.truncated_jpeg(), "truncated or damaged"),
        ("bomb.png", files.png_claiming_size(60_000, 60_000), "150 megapixels"),
        ("bomb2.png", files.png_claiming_size(13_000, 13_000), "169 megapixels"),
        ("photo.png", files.encoded(files.photo(), "JPEG"), "named .png but it is a JPEG"),
    ],
)
def test_the_multiple_uploader_refuses_hostile_files_with_a_reason(
    staff_client, name, data, message
):
    result = upload_multiple(staff_client, name, data)

    assert result["success"] is False
    assert message in result["error_message"]
    assert not ArchiveImage.objects.exists()


def test_the_single_upload_form_shows_the_reason_on_the_page(staff_client):
    response = staff_client.post(
        reverse("wagtailimages:add"),
        {"title": "Programme", "file": SimpleUploadedFile("p.jpg", files.HTML_PAGE)},
    )

    assert response.status_code == 200
    assert "a web page (HTML), whatever its name says" in response.content.decode()
    assert not ArchiveImage.objects.exists()


def test_a_tiff_scan_is_accepted_and_processed_after_commit(
    staff_client, django_capture_on_commit_callbacks
):
    scan = files.encoded(files.photo(900, 1200), "TIFF")

    with django_capture_on_commit_callbacks(execute=True):
        result = upload_multiple(staff_client, "scan-0042.tif", scan)

    assert result["success"] is True, result
    image = ArchiveImage.objects.get()
    assert image.processing_status == "ready", image.processing_error
    assert image.renditions.filter(filter_spec="max-165x165").exists()


def test_replacing_the_file_on_the_edit_page_reprocesses_the_image(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload_multiple(staff_client, "first.jpg", files.encoded(files.photo(), "JPEG"))
    image = ArchiveImage.objects.get()
    first_hash = image.perceptual_hash
    blue = files.encoded(Image.new("RGB", (500, 700), (20, 40, 200)), "PNG")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {
                "title": "Second",
                "file": SimpleUploadedFile("second.png", blue),
                "collection": image.collection_id,
            },
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.processing_status == "ready"
    assert image.perceptual_hash != first_hash
    detail = image.renditions.get(filter_spec__startswith="max-2048x2048|format-jpeg")
    assert (detail.width, detail.height) == (500, 700)
