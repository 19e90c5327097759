"""What staff see in the admin: the processing report, retries, the edit page panel."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from images.models import ArchiveImage
from tests.factories.images import ArchiveImageFactory
from tests.images import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("archivist", "a@example.org", "pw")
    client.force_login(user)
    return client


def failed_image(**kwargs):
    return ArchiveImageFactory(
        processing_status="failed",
        processing_error="This JPEG file is truncated or damaged.",
        **kwargs,
    )


def test_the_report_lists_images_that_are_not_ready_with_the_reason(staff_client):
    failed_image(title="Torn poster")
    ArchiveImageFactory(title="Waiting flyer", processing_status="pending")
    ArchiveImageFactory(title="Fine programme", processing_status="ready")

    response = staff_client.get(reverse("archive_images:report"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Torn poster" in html and "truncated or damaged" in html
    assert "Waiting flyer" in html
    assert "Fine programme" not in html
    assert "Retry all 1 failed" in html


def test_the_report_filters_by_status(staff_client):
    failed_image(title="Torn poster")
    ArchiveImageFactory(title="Waiting flyer", processing_status="pending")

    response = staff_client.get(reverse("archive_images:report"), {"processing_status": "failed"})

    html = response.content.decode()
    assert "Torn poster" in html and "Waiting flyer" not in html


def test_the_report_is_for_staff_only(client):
    response = client.get(reverse("archive_images:report"))

    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_retrying_a_failed_image_processes_it_again(
    staff_client, django_capture_on_commit_callbacks
):
    image = failed_image()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("archive_images:retry", args=[image.pk]))

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.processing_status == "ready"
    assert image.processing_error == ""


def test_retry_needs_a_post(staff_client):
    image = failed_image()

    assert staff_client.get(reverse("archive_images:retry", args=[image.pk])).status_code == 405


def test_retry_all_failed(staff_client, django_capture_on_commit_callbacks):
    images = [failed_image(), failed_image()]

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("archive_images:retry_failed"))

    assert {ArchiveImage.objects.get(pk=i.pk).processing_status for i in images} == {"ready"}


def test_the_edit_page_explains_a_failure_and_offers_a_retry(staff_client):
    image = failed_image()
    image.renditions.all().delete()

    response = staff_client.get(reverse("wagtailimages:edit", args=[image.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Processing failed." in html and "truncated or damaged" in html
    assert f'formaction="{reverse("archive_images:retry", args=[image.pk])}"' in html


def test_the_edit_page_warns_of_a_likely_duplicate_scan(staff_client):
    original = ArchiveImageFactory(title="Poster, first scan", perceptual_hash="f0f0f0f0f0f0f0f0")
    rescan = ArchiveImageFactory(title="Poster, rescan", perceptual_hash="f0f0f0f0f0f0f0f1")
    ArchiveImageFactory(title="Something else", perceptual_hash="0f0f0f0f0f0f0f0f")

    response = staff_client.get(reverse("wagtailimages:edit", args=[rescan.pk]))

    html = response.content.decode()
    assert "This may be a duplicate scan of" in html
    assert "Poster, first scan" in html
    assert reverse("wagtailimages:edit", args=[original.pk]) in html
    assert "Something else" not in html


def test_the_edit_page_of_an_image_with_a_damaged_file_still_opens(staff_client):
    image = failed_image()
    image.renditions.all().delete()
    image.file.save("damaged.jpg", ContentFile(files.truncated_jpeg()), save=False)
    ArchiveImage.objects.filter(pk=image.pk).update(file=image.file.name)

    response = staff_client.get(reverse("wagtailimages:edit", args=[image.pk]))

    assert response.status_code == 200
    assert "Processing failed." in response.content.decode()
