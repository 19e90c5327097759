"""The site and home come from the cache (pages/site_root.py): no site or home
query once known, and a publish or a change to the site shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import HomePage

pytestmark = pytest.mark.django_db


def site_or_home_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "wagtailcore_site"' in q["sql"] or 'FROM "home_homepage"' in q["sql"]
    ]


def test_the_site_and_home_are_not_queried_once_known(client):
    client.get("/?visit=first")
    assert site_or_home_queries(client, "/?visit=second") == []


def test_home_published_shows_its_new_introduction_at_once(client):
    client.get("/?visit=first")
    home = HomePage.objects.get()
    home.introduction = "<p>Fifty years of Battersea Arts Centre.</p>"
    home.save_revision().publish()
    assert "Fifty years of Battersea" in client.get("/?visit=second").content.decode()


def test_a_change_to_the_site_is_seen_at_once(client):
    client.get("/?visit=first")
    site = Site.objects.get()
    site.site_name = "The BAC archive, renamed"
    site.save()
    assert site_or_home_queries(client, "/?visit=second") != []  # asked again
