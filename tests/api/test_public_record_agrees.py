"""An object's public record says the same wherever it is published: the API, the bulk
download's record and the search row, field by field where they share one."""

from urllib.parse import urlsplit

import pytest

from api.object_records import object_records
from foundation.text import plain_text
from objects.search import ObjectKind
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    PlaceFactory,
    ProductionFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def obj():
    return CollectionObjectFactory(
        title="Poster for The Animals & Children Took to the Streets",
        accession_number="BAC-2010-017",
        description="<p>Printed in two colours &amp; folded.</p><p>Torn at one corner.</p>",
        date_display="c. 2010",
        date_earliest=2010,
        date_latest=2011,
        materials="Screenprint on paper",
        production=ProductionFactory(title="The Animals and Children Took to the Streets"),
        makers=[MakerFactory(name="1927")],
        subjects=[SubjectFactory(name="Puppetry")],
        places=[PlaceFactory(name="Battersea")],
    )


def test_the_api_and_the_download_agree_on_every_field_they_share(client, obj, settings):
    # Links in downloads start with the site's address; the API's, with the request's.
    settings.SITE_BASE_URL = "http://testserver"
    api = client.get(f"/api/v1/objects/{obj.slug}").json()
    [record] = [
        r for r in object_records(batch_size=100) if r["accession_number"] == "BAC-2010-017"
    ]

    shared = sorted(api.keys() & record.keys())
    assert len(shared) >= 15, shared  # the check compares the record, not a field or two
    assert {key: record[key] for key in shared} == {key: api[key] for key in shared}


def test_the_search_row_says_what_the_api_says(client, obj):
    api = client.get(f"/api/v1/objects/{obj.slug}").json()
    [row] = ObjectKind().rows([obj.pk])

    assert row.title == api["title"]
    assert row.url == urlsplit(api["url"]).path
    assert row.accession_number == api["accession_number"]
    # The row keeps the stored rich text; its document holds it as plain text.
    assert plain_text(row.description) == api["description"]
    assert row.date_display == api["date_display"]
    assert row.date_earliest == api["date_earliest"]
    assert row.materials == api["materials"]
    assert [name for _slug, name in row.makers] == [m["name"] for m in api["makers"]]
    assert [name for _slug, name in row.subjects] == [s["name"] for s in api["subjects"]]
    assert row.places == [p["name"] for p in api["places"]]
