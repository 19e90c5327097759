"""Only public data leaves: private values seeded in the archive fixture appear
in no open-data output (API, search, manifests, image service, JSON-LD, dumps)."""

import gzip
import json

import pytest

from api import dumps

from .conftest import PRIVATE_VALUES

pytestmark = pytest.mark.django_db

LISTS = ["objects", "makers", "productions", "types", "subjects", "places"]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def every_public_output(client, archive, dump_dir) -> dict[str, str]:
    from search.services import search_index_rebuild

    search_index_rebuild()
    outputs = {}
    for kind in LISTS:
        url = f"/api/v1/{kind}/?page_size=100"
        while url:
            response = client.get(url)
            outputs[url] = body(response)
            for item in response.json()["results"]:
                outputs[item["api_url"]] = body(client.get(item["api_url"]))
            url = response.json()["next"]
    for query in ("poster", "secret", "unpublished", "curator"):
        outputs[f"search {query}"] = body(client.get(f"/api/v1/search?q={query}"))
    for obj in (archive["poster"], archive["tile"], archive["draft"]):
        for suffix in ("jsonld", "linked-art.json"):
            url = f"/collection/objects/{obj.slug}.{suffix}"
            outputs[url] = body(client.get(url))
        url = f"/iiif/objects/{obj.slug}/manifest.json"
        outputs[url] = body(client.get(url))
        outputs[f"{url} negotiated"] = body(
            client.get(obj.get_absolute_url(), HTTP_ACCEPT="application/ld+json")
        )
    image_id = archive["image"].pk
    info = client.get(f"/iiif/image/{image_id}/info.json")
    outputs["info.json"] = body(info)
    outputs["image headers"] = str(
        dict(client.get(f"/iiif/image/{image_id}/full/max/0/default.jpg").headers)
    )
    manifest = dumps.opendata_dump_write()
    outputs["dump manifest"] = json.dumps(manifest)
    for entry in manifest["files"]:
        path = dump_dir / manifest["folder"] / entry["name"]
        outputs[entry["name"]] = gzip.decompress(path.read_bytes()).decode()
    return outputs


def test_no_private_value_appears_in_any_output(client, archive, dump_dir):
    outputs = every_public_output(client, archive, dump_dir)

    assert any("The Red Shoes poster" in text for text in outputs.values())
    leaks = [
        (where, name)
        for where, text in outputs.items()
        for name, value in PRIVATE_VALUES.items()
        if value.lower() in text.lower()
    ]
    assert leaks == []


def test_outputs_carry_no_staff_only_fields(client, archive):
    detail = client.get(f"/api/v1/objects/{archive['poster'].slug}").json()

    staff_only = {
        "view_count",
        "live",
        "has_unpublished_changes",
        "latest_revision",
        "locked",
        "locked_by",
        "created_at",
        "processing_error",
        "file",
    }
    assert staff_only.isdisjoint(detail)
    assert staff_only.isdisjoint(detail["images"][0])
    assert all("/media/original_images/" not in image["url"] for image in detail["images"])
