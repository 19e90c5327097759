"""Changing a slug keeps old links working through Wagtail redirects."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from tests.factories.objects import MakerFactory, ProductionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [MakerFactory, ProductionFactory])
def test_changing_a_slug_redirects_the_old_address_permanently(client, factory):
    thing = factory(slug="old-name")
    old_url = thing.get_absolute_url()

    thing.slug = "new-name"
    thing.save()

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == thing.get_absolute_url()
    assert client.get(thing.get_absolute_url()).status_code == 200
    assert Redirect.objects.get().automatically_created


def test_renaming_twice_leads_the_first_address_straight_to_the_last(client):
    maker = MakerFactory(slug="first")
    first = maker.get_absolute_url()
    maker.slug = "second"
    maker.save()
    second = maker.get_absolute_url()
    maker.slug = "third"
    maker.save()

    assert client.get(first)["Location"] == maker.get_absolute_url()
    assert client.get(second)["Location"] == maker.get_absolute_url()


def test_changing_a_slug_back_removes_the_redirect_that_would_hide_the_page(client):
    maker = MakerFactory(slug="original")
    original = maker.get_absolute_url()
    maker.slug = "renamed"
    maker.save()
    maker.slug = "original"
    maker.save()

    assert client.get(original).status_code == 200
    assert client.get("/collection/makers/renamed/")["Location"] == original


def test_saving_without_a_slug_change_creates_no_redirect():
    maker = MakerFactory(slug="same")
    maker.name = "Same, renamed"
    maker.save()

    assert not Redirect.objects.exists()


def test_a_renamed_story_or_site_page_is_redirected_by_wagtail(
    client, django_capture_on_commit_callbacks
):
    from pages.models import SitePage

    about = SitePage.objects.get(slug="about")
    about.slug = "about-the-archive"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail redirects on commit
        about.save_revision().publish()

    assert client.get("/about/")["Location"].endswith("/about-the-archive/")
