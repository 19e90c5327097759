"""The JSON API through its public surface: lists, filters, cursors, details, errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory

pytestmark = pytest.mark.django_db

OBJECTS = "/api/v1/objects/"


def test_object_list_returns_only_published_objects(client, archive):
    response = client.get(OBJECTS)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    titles = [item["title"] for item in response.json()["results"]]
    assert titles == ["The Red Shoes poster", "Grand Hall floor tile"]
    assert response.json()["next"] is None


def test_object_list_item_links_to_page_api_manifest_and_thumbnail(client, archive):
    item = client.get(OBJECTS).json()["results"][0]

    poster = archive["poster"]
    assert item["url"] == f"http://testserver{poster.get_absolute_url()}"
    assert item["api_url"] == f"http://testserver/api/v1/objects/{poster.slug}"
    assert item["iiif_manifest"] == f"http://testserver/iiif/objects/{poster.slug}/manifest.json"
    assert item["thumbnail"].startswith(f"http://testserver/iiif/image/{archive['image'].pk}/full/")
    assert item["makers"][0]["name"] == "Kneehigh Theatre"
    assert item["production"]["slug"] == archive["production"].slug
    assert item["rights_uri"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("type=poster", ["The Red Shoes poster"]),
        ("type=building-fragment", ["Grand Hall floor tile"]),
        ("decade=1890", ["Grand Hall floor tile"]),
        ("has_image=true", ["The Red Shoes poster"]),
        ("has_image=false", ["Grand Hall floor tile"]),
        ("subject=dance", ["The Red Shoes poster"]),
        ("place=grand-hall", ["The Red Shoes poster"]),
        ("maker=no-such-maker", []),
        ("type=spaceship", []),
    ],
)
def test_object_list_filters_like_the_site(client, archive, query, expected):
    response = client.get(f"{OBJECTS}?{query}")

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == expected


def test_object_list_filters_by_production_and_maker_slugs(client, archive):
    by_production = client.get(f"{OBJECTS}?production={archive['production'].slug}").json()
    by_maker = client.get(f"{OBJECTS}?maker={archive['maker'].slug}").json()

    assert [i["title"] for i in by_production["results"]] == ["The Red Shoes poster"]
    assert [i["title"] for i in by_maker["results"]] == ["The Red Shoes poster"]


def test_cursor_pages_walk_every_object_once(client, db):
    created = [CollectionObjectFactory() for _ in range(7)]

    seen, url = [], f"{OBJECTS}?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [item["id"] for item in page["results"]]
        url = page["next"]

    assert seen == [obj.pk for obj in created]


def test_list_query_count_is_the_same_for_one_and_thirty_objects(client, db):
    def queries_for_list():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{OBJECTS}?page_size=100").status_code == 200
        return len(queries)

    ObjectImageFactory()
    one = queries_for_list()
    for _ in range(29):
        ObjectImageFactory()
    assert queries_for_list() == one


def test_object_detail(client, archive):
    response = client.get(f"{OBJECTS}{archive['poster'].slug}")

    data = response.json()
    assert response.status_code == 200
    assert data["description"] == "A red shoe on black."
    assert data["credit_line"] == "Gift of Kneehigh, 2003"
    assert [s["name"] for s in data["subjects"]] == ["Dance"]
    assert [p["name"] for p in data["places"]] == ["Grand Hall"]
    [image] = data["images"]
    assert image["alt_text"] == "A red shoe on a black ground"
    assert image["iiif_image_service"] == f"http://testserver/iiif/image/{archive['image'].pk}"
    assert data["linked_data"]["schema_org"].endswith(f"/{archive['poster'].slug}.jsonld")


def test_unpublished_and_unknown_objects_are_json_404s(client, archive):
    for slug in (archive["draft"].slug, "no-such-object"):
        response = client.get(f"{OBJECTS}{slug}")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


def test_terms_list_only_those_with_published_objects(client, archive):
    makers = client.get("/api/v1/makers/").json()["results"]

    assert [m["name"] for m in makers] == ["Kneehigh Theatre"]
    assert client.get(f"/api/v1/makers/{archive['maker'].slug}").json()["kind"] == "organisation"
    draft_maker = archive["draft"].object_makers.get().maker
    assert client.get(f"/api/v1/makers/{draft_maker.slug}").status_code == 404
    production = client.get(f"/api/v1/productions/{archive['production'].slug}").json()
    assert production["objects"].endswith(f"?production={archive['production'].slug}")
    assert [s["name"] for s in client.get("/api/v1/subjects/").json()["results"]] == ["Dance"]
    types = client.get("/api/v1/types/").json()["results"]
    assert {t["slug"] for t in types} == {"poster", "building-fragment"}
    assert client.get("/api/v1/types/poster").json()["objects"].endswith("?type=poster")
    assert [p["name"] for p in client.get("/api/v1/places/").json()["results"]] == ["Grand Hall"]


def test_search_uses_the_site_search(client, archive):
    from search.services import search_index_rebuild

    search_index_rebuild()
    data = client.get("/api/v1/search?q=red+shoes").json()

    assert [hit["title"] for hit in data["results"]] == ["The Red Shoes poster"]
    assert data["total"] == 1
    assert data["results"][0]["api_url"].endswith(f"/api/v1/objects/{archive['poster'].slug}")
    assert data["results"][0]["kind"] == "objects"
    assert "type" in data["facets"]


@pytest.mark.parametrize(
    "url, problem",
    [
        (f"{OBJECTS}?colour=red", "colour"),
        (f"{OBJECTS}?cursor=not-a-cursor", "cursor"),
        (f"{OBJECTS}?cursor=eyJ2IjoxLCJhZnRlciI6Ii0xIn0", "cursor"),
        (f"{OBJECTS}?page_size=101", "page_size"),
        (f"{OBJECTS}?page_size=0", "page_size"),
        (f"{OBJECTS}?decade=1995", "decade"),
        (f"{OBJECTS}?has_image=maybe", "has_image"),
        ("/api/v1/makers/?type=poster", "type"),
        ("/api/v1/search?page=501", "page"),
        # PostgreSQL refuses NUL in text: these were 500s found by schemathesis.
        (f"{OBJECTS}?subject=%00", "subject"),
        ("/api/v1/search?subject=%00", "subject"),
        ("/api/v1/search?q=poster%00", "q"),
        (f"{OBJECTS}bac%00", "slug"),
        ("/api/v1/makers/a%00", "slug"),
    ],
)
def test_bad_input_is_a_400_saying_what_was_wrong(client, archive, url, problem):
    response = client.get(url)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert problem in response.json()["detail"] + str(response.json()["errors"])


@pytest.mark.parametrize("accept", ["nonsense", "application/json;;", "text/html,,/x"])
def test_malformed_accept_header_is_a_400(client, archive, accept):
    response = client.get(OBJECTS, HTTP_ACCEPT=accept)

    assert response.status_code == 400
    assert "Accept" in response.json()["detail"]


def test_accept_without_json_is_406_and_browsers_get_json(client, archive):
    assert client.get(OBJECTS, HTTP_ACCEPT="image/png").status_code == 406
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get(OBJECTS, HTTP_ACCEPT=browser).status_code == 200


def test_etag_revalidation_gives_304(client, archive):
    first = client.get(OBJECTS)

    again = client.get(OBJECTS, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"]
    assert again.status_code == 304
    archive["poster"].title = "Changed"
    archive["poster"].save()
    assert client.get(OBJECTS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_anonymous_clients_are_throttled_with_retry_after(client, settings, archive):
    settings.API_ANON_RATE = "3/m"

    statuses = [client.get(OBJECTS).status_code for _ in range(4)]
    refused = client.get(OBJECTS)

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60  # what is left of the minute
    assert refused.json()["detail"]


def test_cors_allows_any_origin_to_read(client, archive):
    response = client.get(OBJECTS, HTTP_ORIGIN="https://example.org")

    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        OBJECTS, HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_cors_preflight_allows_revalidating_with_if_none_match(client, archive):
    preflight = client.options(
        OBJECTS,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    allowed = [h.strip() for h in preflight["Access-Control-Allow-Headers"].split(",")]
    assert {"if-none-match", "accept", "content-type"} <= set(allowed)
