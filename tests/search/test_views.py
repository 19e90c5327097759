import pytest
from django.urls import reverse

from tests.factories.objects import CollectionObjectFactory, MakerFactory, ObjectImageFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:search")
SUGGEST = reverse("search:suggest")


def test_the_empty_search_page_invites_a_search(client):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert b"Search the collection" in response.content


def test_results_link_to_objects_with_facets_and_highlights(client, index):
    obj = CollectionObjectFactory(title="Lantern poster", description="<p>Lantern parade</p>")
    index(obj)

    response = client.get(SEARCH, {"q": "lantern"})

    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("objects:object", args=[obj.slug]) in content
    assert "1 result" in content
    assert "<mark>Lantern</mark> parade" in content
    assert 'href="?q=lantern&amp;type=poster"' in content


def test_a_selected_facet_links_to_its_removal(client, index):
    index(CollectionObjectFactory(title="Lantern poster"))

    content = client.get(SEARCH, {"q": "lantern", "type": "poster"}).content.decode()

    assert 'aria-current="true"' in content
    assert "Object type: Poster" in content
    assert 'href="?q=lantern"' in content


def test_a_misspelling_shows_what_was_searched_instead(client, index):
    index(CollectionObjectFactory(title="Pool", makers=[MakerFactory(name="David Hockney")]))

    content = client.get(SEARCH, {"q": "hockny"}).content.decode()

    assert "No results for “hockny”" in content
    assert "<strong>hockney</strong>" in content
    assert "exact=1" in content


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unbalanced'},
        {"q": "title:(a OR b) AND *"},
        {"q": "x" * 10_000},
        {"q": "<script>alert(1)</script>"},
        {"q": "poster", "page": "abc"},
        {"q": "poster", "page": "999999"},
        {"q": "poster", "decade": "199x"},
        {"q": "poster", "decade": "1995"},
        {"q": "poster", "type": "spaceship", "sort": "sideways", "image": "maybe"},
        {"q": "poster", "maker": "../../etc"},
        {"q": "\x00"},
    ],
)
def test_bad_input_never_errors(client, index, params):
    index(CollectionObjectFactory(title="Poster"))

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_query_count_does_not_grow_with_results(client, index, django_assert_max_num_queries):
    def objects(n):
        made = CollectionObjectFactory.create_batch(n, title="Counted poster")
        for obj in made:
            ObjectImageFactory(object=obj)
        index(*made)

    objects(1)
    with django_assert_max_num_queries(8) as one:
        client.get(SEARCH, {"q": "counted"})
    objects(25)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(SEARCH, {"q": "counted"})


def test_pagination_links_keep_the_query(client, index):
    index(*CollectionObjectFactory.create_batch(25, title="Paged poster"))

    content = client.get(SEARCH, {"q": "paged"}).content.decode()

    assert 'href="?q=paged&amp;page=2"' in content
    assert "showing 1–20" in content


def test_suggest_returns_matching_objects_as_json(client, index):
    obj = CollectionObjectFactory(title="Swimming pool", date_display="1971")
    index(obj)

    response = client.get(SUGGEST, {"q": "swim"})

    assert response.status_code == 200
    assert response.json() == {
        "query": "swim",
        "suggestions": [
            {
                "label": "Swimming pool",
                "url": reverse("objects:object", args=[obj.slug]),
                "detail": "Poster · 1971",
            }
        ],
    }


@pytest.mark.parametrize("q", ["", "s", "**", "x" * 5000])
def test_suggest_tolerates_short_and_odd_input(client, q):
    response = client.get(SUGGEST, {"q": q})

    assert response.status_code == 200
    assert "suggestions" in response.json()


def test_the_search_box_is_an_accessible_combobox(client):
    content = client.get(SEARCH).content.decode()

    assert 'role="combobox"' in content
    assert 'aria-controls="site-search-suggestions"' in content
    assert f'data-suggest-url="{SUGGEST}"' in content
    assert '<label for="site-search">' in content


def test_suggest_recovers_a_misspelling(client, index):
    obj = CollectionObjectFactory(title="Seascape", makers=[MakerFactory(name="Turner")])
    index(obj)

    suggestions = client.get(SUGGEST, {"q": "turnr"}).json()["suggestions"]

    assert [s["url"] for s in suggestions] == [reverse("objects:object", args=[obj.slug])]
