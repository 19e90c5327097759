"""JSON-LD for objects at .jsonld/.json and by content negotiation."""

import gzip
import json

import pytest

from api import dumps

pytestmark = pytest.mark.django_db


def test_jsonld_url_gives_schema_org(client, archive):
    poster = archive["poster"]

    response = client.get(f"/collection/objects/{poster.slug}.jsonld")

    data = response.json()
    assert response["Content-Type"] == "application/ld+json"
    assert data["@context"] == "https://schema.org"
    assert data["@id"] == f"http://testserver{poster.get_absolute_url()}"
    assert data["name"] == "The Red Shoes poster"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["creator"] == [{"@type": "Organization", "name": "Kneehigh Theatre"}]
    assert data["keywords"] == ["Dance"]
    assert data["image"].startswith("http://testserver/iiif/image/")
    assert client.get(f"/collection/objects/{poster.slug}.json").json() == data


def test_linked_art_human_made_object(client, archive):
    poster = archive["poster"]

    data = client.get(f"/collection/objects/{poster.slug}.linked-art.json").json()

    assert data["type"] == "HumanMadeObject"
    assert data["@context"] == "https://linked.art/ns/v1/linked-art.json"
    names = {i["type"]: i["content"] for i in data["identified_by"]}
    assert names == {"Name": "The Red Shoes poster", "Identifier": poster.accession_number}
    assert data["produced_by"]["carried_out_by"][0]["type"] == "Group"
    assert data["produced_by"]["timespan"]["begin_of_the_begin"] == "2002-01-01T00:00:00Z"
    assert data["subject_to"][0]["classified_as"][0]["id"] == poster.rights_uri
    assert data["representation"][0]["type"] == "VisualItem"


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/ld+json", "https://schema.org"),
        (
            'application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"',
            "https://linked.art/ns/v1/linked-art.json",
        ),
    ],
)
def test_object_url_negotiates_json_ld(client, archive, accept, expected):
    response = client.get(archive["poster"].get_absolute_url(), HTTP_ACCEPT=accept)

    assert response["Content-Type"] == "application/ld+json"
    assert response.json()["@context"] == expected
    assert "Accept" in response["Vary"]


def test_browsers_still_get_the_page(client, archive):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    response = client.get(archive["poster"].get_absolute_url(), HTTP_ACCEPT=browser)

    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]


def test_drafts_and_unknown_formats_are_404(client, archive):
    draft = archive["draft"]
    assert client.get(f"/collection/objects/{draft.slug}.jsonld").status_code == 404
    assert client.get(f"/collection/objects/{archive['poster'].slug}.xml").status_code == 404
    response = client.get(draft.get_absolute_url(), HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 404


def test_negotiation_still_works_once_the_html_page_is_cached(client, archive, settings):
    settings.PAGE_CACHE_SECONDS = 300
    url = archive["poster"].get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    response = client.get(url, HTTP_ACCEPT="application/ld+json")

    assert response["Content-Type"] == "application/ld+json"


@pytest.mark.parametrize("suffix", ["jsonld", "json", "linked-art.json"])
def test_every_linked_data_url_is_readable_from_any_origin(client, archive, suffix):
    url = f"/collection/objects/{archive['poster'].slug}.{suffix}"

    response = client.get(url, HTTP_ORIGIN="https://example.org")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_negotiated_json_ld_is_readable_from_any_origin_but_the_page_is_not(client, archive):
    url = archive["poster"].get_absolute_url()
    linked_art = 'application/ld+json;profile="https://linked.art/ns/v1/linked-art.json"'

    # The profile's quotes make a browser send a preflight first, with no Accept.
    preflight = client.options(
        url,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept",
    )
    data = client.get(url, HTTP_ACCEPT=linked_art, HTTP_ORIGIN="https://example.org")
    page = client.get(url, HTTP_ACCEPT="text/html", HTTP_ORIGIN="https://example.org")

    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "accept" in preflight["Access-Control-Allow-Headers"]
    assert data["Content-Type"] == "application/ld+json"
    assert data["Access-Control-Allow-Origin"] == "*"
    assert page["Content-Type"].startswith("text/html")
    assert "Access-Control-Allow-Origin" not in page


def test_one_object_one_iri_in_every_format(client, archive, dump_dir):
    poster = archive["poster"]
    iri = f"http://testserver{poster.get_absolute_url()}"
    linked_art_url = f"http://testserver/collection/objects/{poster.slug}.linked-art.json"
    schema_org = client.get(f"/collection/objects/{poster.slug}.jsonld").json()
    linked_art = client.get(linked_art_url).json()
    negotiated = client.get(poster.get_absolute_url(), HTTP_ACCEPT="application/ld+json").json()
    manifest = client.get(f"/iiif/objects/{poster.slug}/manifest.json").json()
    detail = client.get(f"/api/v1/objects/{poster.slug}").json()
    [listed] = client.get("/api/v1/objects/?has_image=true").json()["results"]
    page = client.get(poster.get_absolute_url()).content.decode()
    dump = dumps.opendata_dump_write()
    [record] = [
        json.loads(line)
        for line in gzip.decompress(
            (dump_dir / dump["folder"] / "objects.jsonl.gz").read_bytes()
        ).splitlines()
        if json.loads(line)["slug"] == poster.slug
    ]

    assert schema_org["@id"] == negotiated["@id"] == linked_art["id"] == iri
    assert manifest["homepage"][0]["id"] == detail["uri"] == listed["uri"] == iri
    assert record["uri"] == f"http://127.0.0.1:8000{poster.get_absolute_url()}"
    assert f'"@id": "{iri}"' in page
    # The documents describing it are listed as such.
    access_points = [
        point["id"]
        for text in linked_art["subject_of"]
        for carrier in text["digitally_carried_by"]
        for point in carrier["access_point"]
    ]
    assert linked_art_url in access_points and iri in access_points
    assert [also["id"] for also in manifest["seeAlso"]] == [
        f"http://testserver/collection/objects/{poster.slug}.jsonld",
        linked_art_url,
    ]
