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


def test_no_memory_but_an_approved_openly_licensed_one_leaves_through_the_api(client):
    from memories.models import Licence, Memory
    from search.services import search_index_rebuild
    from tests.factories.memories import MemoryFactory

    def memory(word, **fields):
        return MemoryFactory(text=f"The {word} zebracorn came to the hall", **fields)

    shared = {
        "open": memory("open", licence=Licence.CC_BY),
        "site-only": memory("siteonly", licence=Licence.SITE_ONLY),
        "pending": memory("pending", status=Memory.Status.PENDING, approved_at=None),
        "rejected": memory("rejected", status=Memory.Status.REJECTED, approved_at=None),
    }
    search_index_rebuild()

    outputs = [body(client.get("/api/v1/memories/?page_size=100"))]
    outputs += [body(client.get(f"/api/v1/memories/{m.public_id}")) for m in shared.values()]
    for kind in ("", "memories", "objects", "stories"):
        for query in ("zebracorn", "siteonly", "zebracorm"):  # misspelt too
            outputs.append(body(client.get(f"/api/v1/search?q={query}&kind={kind}")))
    text = "\n".join(outputs)

    assert "open zebracorn" in text  # listed where open memories are
    for word in ("siteonly", "pending", "rejected"):
        assert f"{word} zebracorn" not in text, word
    search = client.get("/api/v1/search?q=zebracorn").json()
    assert search["total"] == 0 and "memories" not in str(search["facets"])
