"""Every open-data answer can be revalidated: an ETag (strong, from the manifest's
SHA-256, for downloads), Cache-Control, and 304 for If-None-Match in all its forms
(weak, lists, *), on GET and HEAD alike."""

import pytest

from api import dumps

pytestmark = pytest.mark.django_db


def open_data_urls(archive) -> list[str]:
    poster = archive["poster"]
    return [
        "/api/v1/openapi.json",
        "/api/v1/objects/",
        f"/api/v1/objects/{poster.slug}",
        "/api/v1/search?q=shoes",
        f"/iiif/objects/{poster.slug}/manifest.json",
        f"/iiif/image/{archive['image'].pk}/info.json",
        f"/iiif/image/{archive['image'].pk}/full/max/0/default.jpg",
        f"/collection/objects/{poster.slug}.jsonld",
        f"/collection/objects/{poster.slug}.linked-art.json",
        "/open-data/downloads/objects.csv.gz",
        "/open-data/downloads/manifest.json",
    ]


@pytest.mark.parametrize(
    "if_none_match",
    ["{etag}", "W/{etag}", '"something-else", {etag}', 'W/"x",W/{etag}', "*"],
)
def test_every_answer_revalidates_with_any_form_of_if_none_match(
    client, archive, dump_dir, if_none_match
):
    dumps.opendata_dump_write()

    for url in open_data_urls(archive):
        first = client.get(url)
        etag = first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=if_none_match.format(etag=etag))
        assert first.status_code == 200 and etag, url
        assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"], url
        assert again.status_code == 304, url
        assert (again["ETag"], again["Cache-Control"]) == (etag, first["Cache-Control"]), url
        assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200, url


def test_head_carries_the_headers_of_get(client, archive, dump_dir):
    dumps.opendata_dump_write()

    for url in open_data_urls(archive):
        get, head = client.get(url), client.head(url)
        assert head.status_code == 200, url
        assert (head["ETag"], head["Cache-Control"]) == (get["ETag"], get["Cache-Control"]), url
        assert client.head(url, HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304, url


def test_negotiated_json_ld_revalidates(client, archive):
    url = archive["poster"].get_absolute_url()

    first = client.get(url, HTTP_ACCEPT="application/ld+json")
    again = client.get(url, HTTP_ACCEPT="application/ld+json", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Content-Type"] == "application/ld+json"
    assert again.status_code == 304
    assert "Accept" in again["Vary"]


def test_download_etags_are_the_manifests_checksums(client, archive, dump_dir):
    manifest = dumps.opendata_dump_write()

    for entry in manifest["files"]:
        response = client.head(f"/open-data/downloads/{entry['name']}")
        assert response["ETag"] == f'"{entry["sha256"]}"'  # strong: the bytes themselves
