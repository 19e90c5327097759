"""The admin surfaces stories add: the object chooser and the dashboard panel."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from images.models import ArchiveImage
from tests.factories.images import ArchiveImageFactory
from tests.factories.objects import CollectionObjectFactory
from tests.factories.stories import StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("curator", password="not-a-real-password")
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


def chooser_results(client, **params):
    response = client.get(reverse("collection_object_chooser:choose_results"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_object_chooser_searches_titles_and_accession_numbers(curator_client):
    CollectionObjectFactory(title="Masque poster", accession_number="BAC-1998-001")
    CollectionObjectFactory(title="Programme for Masque", accession_number="BAC-1998-002")
    CollectionObjectFactory(title="Letter about the roof", accession_number="BAC-2015-777")

    by_title = chooser_results(curator_client, q="masque")
    assert "Masque poster" in by_title and "Programme for Masque" in by_title
    assert "Letter about the roof" not in by_title

    by_number = chooser_results(curator_client, q="bac-2015-777")
    assert "Letter about the roof" in by_number and "Masque poster" not in by_number

    both_words = chooser_results(curator_client, q="masque programme")
    assert "Programme for Masque" in both_words and "Masque poster" not in both_words


def test_the_object_chooser_is_paginated(curator_client):
    CollectionObjectFactory.create_batch(45)
    first = chooser_results(curator_client)
    assert first.count("data-chooser-modal-choice") == 20
    third = chooser_results(curator_client, p=3)
    assert third.count("data-chooser-modal-choice") == 5


def test_the_object_chooser_modal_opens(curator_client):
    response = curator_client.get(reverse("collection_object_chooser:choose"))
    assert response.status_code == 200
    assert "Title or accession number" in response.json()["html"]


def test_the_dashboard_shows_what_needs_staff(client, admin_user):
    StoryPageFactory(title="Waiting story", live=False)
    story = StoryPageFactory(title="Waiting story", live=False)
    from wagtail.models import Workflow

    Workflow.objects.get(name="Story review").start(story, admin_user)
    failed = ArchiveImageFactory()
    ArchiveImage.objects.filter(pk=failed.pk).update(
        processing_status=ArchiveImage.ProcessingStatus.FAILED
    )
    CollectionObjectFactory.create_batch(3)
    CollectionObjectFactory(live=False)
    client.force_login(admin_user)

    html = client.get("/admin/").content.decode()

    assert "Stories awaiting review" in html
    assert f'href="/admin/pages/{story.pk}/edit/"' in html
    assert "1 image failed processing" in html
    assert "3 published, 1 draft." in html
