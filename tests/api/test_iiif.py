"""IIIF manifests (validated against the official Presentation 3 schema), the
level 0 image service, and the link and viewer on the object page."""

import json

import jsonschema
import pytest

from tests.conftest import SHARED_DATA
from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory
from tests.objects.pages_support import ready_image

pytestmark = pytest.mark.django_db

IIIF_SCHEMA = SHARED_DATA / "iiif" / "iiif_3_0.json"


@pytest.fixture(scope="module")
def presentation_validator():
    if not IIIF_SCHEMA.exists():
        pytest.skip("The IIIF Presentation 3 schema is not in ../shared/data/iiif/")
    return jsonschema.Draft7Validator(json.loads(IIIF_SCHEMA.read_text()))


def assert_valid_manifest(validator, manifest):
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    # The schema checks structure; IIIF also requires a known rights URI.
    assert manifest["rights"].startswith(
        ("http://creativecommons.org/", "http://rightsstatements.org/")
    )


def test_the_schema_rejects_a_broken_manifest(presentation_validator):
    broken = json.loads((SHARED_DATA / "iiif/examples/broken_simple_image.json").read_text())

    assert not presentation_validator.is_valid(broken)


def test_manifest_validates_and_describes_the_object(client, archive, presentation_validator):
    poster = archive["poster"]

    response = client.get(f"/iiif/objects/{poster.slug}/manifest.json")

    manifest = response.json()
    assert response.status_code == 200
    assert_valid_manifest(presentation_validator, manifest)
    assert manifest["id"] == f"http://testserver/iiif/objects/{poster.slug}/manifest.json"
    assert manifest["label"] == {"en": ["The Red Shoes poster"]}
    assert manifest["summary"] == {"en": ["A red shoe on black."]}
    assert manifest["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert manifest["requiredStatement"]["value"] == {"en": ["Gift of Kneehigh, 2003"]}
    [canvas] = manifest["items"]
    body = canvas["items"][0]["items"][0]["body"]
    assert (canvas["width"], canvas["height"]) == (body["width"], body["height"]) == (700, 500)
    assert body["service"][0]["id"] == f"http://testserver/iiif/image/{archive['image'].pk}"
    assert manifest["thumbnail"][0]["width"] <= 320


def test_manifest_has_a_canvas_per_image(client, presentation_validator):
    obj = CollectionObjectFactory(rights_uri="http://rightsstatements.org/vocab/InC/1.0/")
    for alt in ("Front", "Back"):
        ObjectImageFactory(object=obj, image=ready_image(), alt_text=alt)

    manifest = client.get(f"/iiif/objects/{obj.slug}/manifest.json").json()

    assert_valid_manifest(presentation_validator, manifest)
    assert [c["label"]["en"][0] for c in manifest["items"]] == ["Front", "Back"]
    assert manifest["requiredStatement"]["value"]["en"] == ["Battersea Arts Centre Archive"]


def assert_json_error(response, status):
    """IIIF viewers parse every answer as JSON; a page's HTML breaks them."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_no_manifest_for_drafts_objects_without_images_or_unknown_slugs(client, archive):
    draft = archive["draft"]
    ObjectImageFactory(object=draft, image=ready_image())
    for slug in (draft.slug, archive["tile"].slug, "nothing-here"):
        response = client.get(f"/iiif/objects/{slug}/manifest.json", HTTP_ORIGIN="https://x.org")
        assert_json_error(response, 404)
    for url in ("/iiif/objects/a%20b/manifest.json", "/iiif/image/abc/info.json", "/iiif/x"):
        assert_json_error(client.get(url, HTTP_ORIGIN="https://x.org"), 404)


def test_image_service_is_level_0_with_the_pipeline_sizes(client, archive):
    image_id = archive["image"].pk

    info = client.get(f"/iiif/image/{image_id}/info.json").json()

    assert info["profile"] == "level0"
    assert info["type"] == "ImageService3"
    assert info["id"] == f"http://testserver/iiif/image/{image_id}"
    assert (info["width"], info["height"]) == (700, 500)
    assert {"width": 320, "height": 229} in info["sizes"]
    for size in info["sizes"]:
        response = client.get(
            f"/iiif/image/{image_id}/full/{size['width']},{size['height']}/0/default.jpg"
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get(f"/iiif/image/{image_id}/full/max/0/default.jpg").status_code == 200
    redirect = client.get(f"/iiif/image/{image_id}")
    assert (redirect.status_code, redirect["Location"]) == (
        303,
        f"/iiif/image/{image_id}/info.json",
    )


@pytest.mark.parametrize(
    "request_path, status",
    [
        # Valid Image API requests that a level 0 service need not offer: 501.
        ("full/333,222/0/default.jpg", 501),
        ("full/700,/0/default.jpg", 501),
        ("full/pct:50/0/default.jpg", 501),
        ("full/!320,320/0/default.jpg", 501),
        ("full/^max/0/default.jpg", 501),
        ("0,0,10,10/max/0/default.jpg", 501),
        ("square/max/0/default.jpg", 501),
        ("full/max/90/default.jpg", 501),
        ("full/max/!0/default.jpg", 501),
        ("full/max/0/gray.jpg", 501),
        ("full/max/0/default.png", 501),
        # Not the Image API's syntax, or upscaling without ^: 400.
        ("full/9999,9999/0/default.jpg", 400),
        ("full/pct:150/0/default.jpg", 400),
        ("full/0,0/0/default.jpg", 400),
        ("whole/max/0/default.jpg", 400),
        ("full/big/0/default.jpg", 400),
        ("full/max/400/default.jpg", 400),
        ("full/max/0/sepia.jpg", 400),
        ("full/max/0/default.bmp", 400),
    ],
)
def test_image_service_answers_what_it_cannot_serve_as_the_image_api_says(
    client, archive, request_path, status
):
    url = f"/iiif/image/{archive['image'].pk}/{request_path}"

    assert_json_error(client.get(url, HTTP_ORIGIN="https://x.org"), status)


def test_image_service_hides_images_of_unpublished_objects(client, archive):
    hidden = ready_image()
    ObjectImageFactory(object=archive["draft"], image=hidden)

    assert_json_error(
        client.get(f"/iiif/image/{hidden.pk}/info.json", HTTP_ORIGIN="https://x.org"), 404
    )
    hidden_file = client.get(
        f"/iiif/image/{hidden.pk}/full/max/0/default.jpg", HTTP_ORIGIN="https://x.org"
    )
    assert_json_error(hidden_file, 404)


def test_image_files_revalidate_with_their_etag(client, archive):
    url = f"/iiif/image/{archive['image'].pk}/full/max/0/default.jpg"
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_object_page_links_to_its_manifest_with_the_iiif_logo(client, archive):
    poster = archive["poster"]

    html = client.get(poster.get_absolute_url()).content.decode()

    assert f'href="/iiif/objects/{poster.slug}/manifest.json"' in html
    assert "api/iiif-logo.svg" in html
    assert "vendor/openseadragon/openseadragon.min.js" in html
    fragment = html[html.index('<div class="iiif">') : html.index("api/iiif-viewer.js")]
    assert "<script>" not in fragment and " style=" not in fragment


def test_object_page_without_images_has_no_viewer(client, archive):
    html = client.get(archive["tile"].get_absolute_url()).content.decode()

    assert "manifest.json" not in html
    assert "openseadragon" not in html


def test_viewer_assets_are_served_from_this_site(client):
    for path in (
        "/static/vendor/openseadragon/openseadragon.min.js",
        "/static/vendor/openseadragon/images/zoomin_rest.png",
        "/static/api/iiif-viewer.js",
        "/static/api/iiif-logo.svg",
    ):
        assert client.get(path).status_code == 200, path


def test_zoom_viewer_and_manifest_sit_behind_an_objects_content_warning(
    client, archive, presentation_validator
):
    poster = archive["poster"]
    poster.content_warning = "Depicts self-harm"
    poster.save()

    html = client.get(poster.get_absolute_url()).content.decode()
    manifest = client.get(f"/iiif/objects/{poster.slug}/manifest.json").json()

    start = html.index('<details class="content-warning">')
    disclosure = html[start : html.index("</details>", start)]
    assert "data-iiif-open" in disclosure and "manifest.json" in disclosure
    assert html.count("data-iiif-open") == 1
    assert manifest["metadata"][0] == {
        "label": {"en": ["Content warning"]},
        "value": {"en": ["Depicts self-harm"]},
    }
    assert_valid_manifest(presentation_validator, manifest)
