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


def test_a_cold_page_reads_the_site_in_one_round_trip_and_its_root_paths_in_none(
    client, redis_commands, settings
):
    """The site (with home) under the site generation alone, no version of its own;
    the root paths that make page URLs kept by the process under that generation."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    client.get("/stories/")
    redis_commands.clear()

    assert client.get("/stories/").status_code == 200

    sent = [b"".join(sent) if isinstance(sent, list) else sent for sent in redis_commands]
    site_reads = [sent for sent in sent if b"site-root" in sent or b"root_paths" in sent]
    assert len(site_reads) == 1, site_reads
    assert b"pages:site-root:" in site_reads[0]


def test_a_new_hostname_is_in_the_root_paths_at_once(client, settings):
    """Kept by the process under the site generation: a change to the site bumps it."""
    settings.PAGE_CACHE_SECONDS = 0

    def root_urls(host) -> list[str]:
        response = client.get("/stories/", HTTP_HOST=host)
        assert response.status_code == 200
        return [paths.root_url for paths in response.wsgi_request._wagtail_cached_site_root_paths]

    settings.ALLOWED_HOSTS = ["localhost", "collection.example.org"]
    assert root_urls("localhost") == ["http://localhost"]
    site = Site.objects.get()
    site.hostname = "collection.example.org"
    site.save()

    assert root_urls("collection.example.org") == ["http://collection.example.org"]
