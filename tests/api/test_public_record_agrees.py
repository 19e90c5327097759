"""An object's public record says the same wherever it is published: the API's list
and detail, the bulk download's record and the search's row and engine document.
All are shaped from one record (objects/public_record.py); these tests fail when
one of them drifts from the others."""

import gzip
import json
from urllib.parse import urlsplit

import pytest

from api.dumps import opendata_dump_write
from api.schemas import ObjectSummary
from search.indexing import indexed_documents
from search.registry import get_kind
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    ObjectImageFactory,
    PlaceFactory,
    ProductionFactory,
    SubjectFactory,
)
from tests.objects.pages_support import ready_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def obj():
    obj = CollectionObjectFactory(
        title="Poster for The Animals & Children Took to the Streets",
        accession_number="BAC-2010-017",
        description="<p>Printed in two colours &amp; folded.</p><p>Torn at one corner.</p>",
        date_display="c. 2010",
        date_earliest=2010,
        date_latest=2011,
        materials="Screenprint on paper",
        production=ProductionFactory(title="The Animals and Children Took to the Streets"),
        makers=[MakerFactory(name="1927"), MakerFactory(name="Paul Barritt")],
        subjects=[SubjectFactory(name="Puppetry"), SubjectFactory(name="Animation")],
        places=[PlaceFactory(name="Battersea")],
    )
    ObjectImageFactory(object=obj, image=ready_image(), alt_text="The poster", credit="BAC")
    return obj


@pytest.fixture
def api(client, obj):
    return client.get(f"/api/v1/objects/{obj.slug}").json()


def _dumped_objects(dump_dir) -> list[dict]:
    manifest = opendata_dump_write()
    with gzip.open(dump_dir / manifest["folder"] / "objects.jsonl.gz", "rt") as lines:
        return [json.loads(line) for line in lines]


def test_the_api_and_the_download_publish_the_same_record(api, settings, dump_dir):
    # Links in downloads start with the site's address; the API's, with the request's.
    settings.SITE_BASE_URL = "http://testserver"
    [record] = [r for r in _dumped_objects(dump_dir) if r["accession_number"] == "BAC-2010-017"]

    assert record == api
    assert api["images"] and api["makers"] and api["subjects"]  # the record, not its blanks


def test_the_api_list_summarises_the_detail(client, obj, api):
    [summary] = client.get("/api/v1/objects/").json()["results"]

    assert list(summary) == list(ObjectSummary.model_fields)
    assert summary == {key: api[key] for key in summary}


def test_the_search_row_and_document_say_what_the_api_says(api, obj):
    kind = get_kind("objects")
    [document] = indexed_documents(kind, [obj.pk])
    source = document.to_source()
    row = document.entry_values(postgres=True)  # the database backend's table row

    maker_names = [m["name"] for m in api["makers"]]
    for indexed in (source, row):
        assert indexed["title"] == api["title"]
        assert indexed["url"] == urlsplit(api["url"]).path
        assert indexed["identifier"] == api["accession_number"]
        assert indexed["description"] == api["description"]
        assert indexed["date_earliest"] == api["date_earliest"]
    assert source["names"] == [*maker_names, api["production"]["name"]]
    assert source["keywords"] == [
        *(s["name"] for s in api["subjects"]),
        *(p["name"] for p in api["places"]),
        api["materials"],
    ]
    assert source["summary"] == " · ".join(
        [api["object_type_label"], api["date_display"], "; ".join(maker_names)]
        + [api["production"]["name"]]
    )
    facets = set(source["facets"])
    assert f"type|{api['object_type']}|{api['object_type_label']}" in facets
    for maker in api["makers"]:
        assert f"maker|{maker['slug']}|{maker['name']}" in facets
    for subject in api["subjects"]:
        assert f"subject|{subject['slug']}|{subject['name']}" in facets
    production = api["production"]
    assert f"production|{production['slug']}|{production['name']}" in facets
    assert source["has_image"] is row["has_image"] is True
