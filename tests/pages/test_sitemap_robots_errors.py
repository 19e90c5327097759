"""Being found (sitemap, robots.txt) and the error pages."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from pages.sitemaps import SITEMAPS
from pages.views import too_many_requests
from tests.factories.objects import CollectionObjectFactory, MakerFactory, ProductionFactory

pytestmark = pytest.mark.django_db


def locations(xml: str) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_the_sitemap_index_lists_a_file_per_section(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    files = locations(response.content.decode())
    for section in ["pages", "objects", "makers", "productions", "subjects", "places"]:
        assert f"http://testserver/sitemap-{section}.xml" in files


def test_the_sitemap_has_public_things_only(client):
    maker = MakerFactory(name="Kneehigh")
    lonely_maker = MakerFactory(name="Nobody public")
    production = ProductionFactory(title="The Red Shoes")
    public = CollectionObjectFactory(title="Poster", production=production, makers=[maker])
    draft = CollectionObjectFactory(title="Draft", live=False, makers=[lonely_maker])

    objects = locations(client.get("/sitemap-objects.xml").content.decode())
    makers = locations(client.get("/sitemap-makers.xml").content.decode())
    productions = locations(client.get("/sitemap-productions.xml").content.decode())
    pages = locations(client.get("/sitemap-pages.xml").content.decode())

    assert f"http://testserver{public.get_absolute_url()}" in objects
    assert f"http://testserver{draft.get_absolute_url()}" not in objects
    assert makers == [f"http://testserver{maker.get_absolute_url()}"]
    assert productions == [f"http://testserver{production.get_absolute_url()}"]
    # Wagtail pages use the Wagtail Site's host name (set in Settings > Sites).
    assert {"http://localhost/", "http://localhost/privacy/"} <= set(pages)
    assert "<lastmod>" in client.get("/sitemap-objects.xml").content.decode()


def test_a_section_larger_than_a_file_is_split_and_indexed(client, monkeypatch):
    monkeypatch.setattr(SITEMAPS["objects"], "limit", 2)
    CollectionObjectFactory.create_batch(5)

    files = locations(client.get("/sitemap.xml").content.decode())

    assert "http://testserver/sitemap-objects.xml?p=3" in files
    assert len(locations(client.get("/sitemap-objects.xml?p=3").content.decode())) == 1
    assert SITEMAPS["pages"].limit == 50_000


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_places(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *\n" in text
    assert "Disallow: /admin/\n" in text
    assert "Disallow: /memories/yours/\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def assert_error_page(html: str, heading: str):
    assert heading in html
    assert 'role="search"' in html and 'action="/search/"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "site.css" in html


def test_404_says_what_happened_and_offers_search(client):
    response = client.get("/collection/objects/no-such-object/")

    assert response.status_code == 404
    assert_error_page(response.content.decode(), "We could not find that page")


def test_403_429_and_500_pages_share_the_design_and_offer_search(rf):
    request = rf.get("/somewhere/")
    forbidden = permission_denied(request, PermissionDenied())
    limited = too_many_requests(request)
    broken = server_error(request)

    assert forbidden.status_code == 403
    assert_error_page(forbidden.content.decode(), "You cannot open this page")
    assert limited.status_code == 429 and limited["Retry-After"]
    assert_error_page(limited.content.decode(), "Too many requests at once")
    assert broken.status_code == 500
    assert_error_page(broken.content.decode(), "Something went wrong on our side")


def test_a_search_with_no_results_suggests_what_to_try_next(client):
    CollectionObjectFactory(title="Poster")
    html = client.get(
        reverse("search:search"), {"q": "zzqxj", "has_image": "true"}
    ).content.decode()

    assert "Nothing matches" in html
    assert "check the spelling" in html
    assert f'href="{reverse("objects:browse")}"' in html
