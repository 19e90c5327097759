import json
import re

import pytest
from django.urls import reverse

from objects.models import CollectionObject, ObjectMaker
from objects.services import collection_import
from tests.factories.objects import (
    CollectionObjectFactory,
    MakerFactory,
    PlaceFactory,
    ProductionFactory,
    SubjectFactory,
)

from .pages_support import object_with_image

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


# --- Object page ---------------------------------------------------------------


def test_object_page_shows_the_catalogue_record(client):
    maker = MakerFactory(name="Jane Poster")
    production = ProductionFactory(title="The Masque", company="Shunt", date_display="1998")
    obj = object_with_image(
        title="Masque poster",
        production=production,
        makers=[maker],
        materials="Screenprint on paper",
        dimensions="594 × 841 mm",
        credit_line="Gift of the company",
        rights_uri="https://creativecommons.org/licenses/by/4.0/",
    )
    obj.subjects.add(SubjectFactory(name="Masks"))
    obj.places.add(PlaceFactory(name="Grand Hall"))
    obj.save()  # commits the in-memory ParentalManyToMany changes

    response = client.get(obj.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="object-title">Masque poster</h1>' in html
    assert obj.accession_number in html
    for text in ("Screenprint on paper", "594 × 841 mm", "Gift of the company", "Shunt"):
        assert text in html
    assert f'href="{maker.get_absolute_url()}"' in html
    assert f'href="{production.get_absolute_url()}"' in html
    assert 'href="/collection/subjects/masks/"' in html
    assert 'href="/collection/places/grand-hall/"' in html
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a>' in html
    )
    assert 'alt="A red poster with black lettering"' in html
    assert "<picture" in html
    permalink = f"http://testserver{obj.get_absolute_url()}"
    assert f'<link rel="canonical" href="{permalink}">' in html
    assert (
        f"Jane Poster. Masque poster. 1998. Battersea Arts Centre Archive, {obj.accession_number}."
        in html
    )


def test_object_page_has_structured_data_and_share_tags(client):
    obj = object_with_image(title="Masque poster", makers=[MakerFactory(name="Jane Poster")])

    html = client.get(obj.get_absolute_url()).content.decode()

    data = json_ld(html)
    assert data["@type"] == "VisualArtwork"
    assert data["name"] == "Masque poster"
    assert data["creator"] == [{"@type": "Person", "name": "Jane Poster"}]
    assert data["url"] == f"http://testserver{obj.get_absolute_url()}"
    assert data["image"].startswith("http://testserver/")
    assert data["image"].endswith(".jpg")
    assert f'<meta property="og:image" content="{data["image"]}">' in html
    assert '<meta property="og:title" content="Masque poster">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_structured_data_cannot_break_out_of_its_script_element(client):
    obj = CollectionObjectFactory(title="</script><script>alert(1)</script> & more")

    html = client.get(obj.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script> & more"


def test_content_warning_hides_images_in_a_disclosure_and_not_in_share_cards(client):
    obj = object_with_image(content_warning="Depicts violence")

    html = client.get(obj.get_absolute_url()).content.decode()

    start = html.index('<details class="content-warning">')
    details = html[start : html.index("</details>", start)]
    assert "Depicts violence" in details
    assert "<picture" in details
    assert 'property="og:image"' not in html
    # Nor in the metadata search engines read: the image is shared nowhere.
    data = json_ld(html)
    assert data["name"] == obj.title and "image" not in data


def test_related_objects_from_the_same_production_and_maker(client):
    production = ProductionFactory()
    maker = MakerFactory()
    obj = CollectionObjectFactory(production=production, makers=[maker])
    sibling = CollectionObjectFactory(title="Same show", production=production)
    by_maker = CollectionObjectFactory(title="Same hand", makers=[maker])
    unrelated = CollectionObjectFactory(title="Unrelated")
    hidden = CollectionObjectFactory(title="Draft sibling", production=production, live=False)

    html = client.get(obj.get_absolute_url()).content.decode()

    assert "More from" in html and sibling.get_absolute_url() in html
    assert "More by" in html and by_maker.get_absolute_url() in html
    assert unrelated.get_absolute_url() not in html
    assert hidden.get_absolute_url() not in html


def test_sample_records_are_labelled(client):
    sample = CollectionObjectFactory(is_sample_content=True)
    real = CollectionObjectFactory(is_sample_content=False)

    assert "Sample data." in client.get(sample.get_absolute_url()).content.decode()
    assert "Sample data." not in client.get(real.get_absolute_url()).content.decode()
    assert "Sample data." in client.get(reverse("objects:browse")).content.decode()


def test_unknown_object_is_a_friendly_404(client):
    response = client.get(reverse("objects:object", args=["no-such-thing"]))

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_draft_object_is_hidden_from_the_public_but_previewable(client):
    draft = CollectionObjectFactory(title="Not yet", live=False)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.get_absolute_url() not in client.get(reverse("objects:browse")).content.decode()
    preview = draft.make_preview_request()
    assert preview.status_code == 200
    assert "Not yet" in preview.content.decode()


def test_publishing_and_unpublishing_through_revisions(client):
    obj = CollectionObjectFactory(title="Soon public", live=False)
    url = obj.get_absolute_url()
    assert client.get(url).status_code == 404

    obj.save_revision().publish()
    assert client.get(url).status_code == 200
    assert "Soon public" in client.get(reverse("objects:browse")).content.decode()

    obj.refresh_from_db()  # publishing saved the revision's copy, not this instance
    obj.unpublish()
    assert client.get(url).status_code == 404


# --- Browse --------------------------------------------------------------------


def titles_in(response) -> list[str]:
    return [obj.title for obj in response.context["page"].object_list]


def test_browse_lists_live_objects_with_facet_counts(client):
    CollectionObjectFactory.create_batch(2, object_type="poster")
    CollectionObjectFactory(object_type="letter", date_earliest=1971)
    CollectionObjectFactory(object_type="costume", live=False)

    response = client.get(reverse("objects:browse"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 objects" in html
    assert "Poster (2)" in html and "Letter (1)" in html
    assert "Costume" not in html
    assert "1970s (1)" in html and "1990s (2)" in html


def test_browse_counts_follow_an_import_and_an_unpublish_at_once(client, tmp_path):
    poster, _ = CollectionObjectFactory.create_batch(2, object_type="poster")
    CollectionObjectFactory(object_type="letter")
    assert "3 objects" in client.get(reverse("objects:browse")).content.decode()
    path = tmp_path / "letters.csv"
    path.write_text(
        "accession_number,title,object_type\nL-1,Letter to the council,letter\n"
        "L-2,Letter from a neighbour,letter\n",
        encoding="utf-8",
    )

    collection_import(path=path)
    after_import = client.get(reverse("objects:browse")).content.decode()
    poster.unpublish()
    after_unpublish = client.get(reverse("objects:browse")).content.decode()

    assert "5 objects" in after_import and "Letter (3)" in after_import
    assert "4 objects" in after_unpublish and "Poster (1)" in after_unpublish


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"object_type": "letter"}, ["Letter"]),
        ({"decade": "1970"}, ["Letter"]),
        ({"has_image": "on"}, ["Poster with image"]),
        # Objects with images first, then in the order chosen.
        ({"sort": "title"}, ["Poster with image", "Costume", "Letter", "Undated"]),
        ({"sort": "-title"}, ["Poster with image", "Undated", "Letter", "Costume"]),
        ({"sort": "date"}, ["Poster with image", "Letter", "Costume", "Undated"]),
        ({"sort": "-date"}, ["Poster with image", "Costume", "Letter", "Undated"]),
        ({}, ["Poster with image", "Letter", "Costume", "Undated"]),
    ],
)
def test_browse_filters_and_sorts(client, params, expected):
    CollectionObjectFactory(title="Letter", object_type="letter", date_earliest=1975)
    CollectionObjectFactory(title="Costume", object_type="costume", date_earliest=1988)
    object_with_image(title="Poster with image", date_earliest=1998)
    CollectionObjectFactory(title="Undated", date_earliest=None, date_display="")

    response = client.get(reverse("objects:browse"), params)

    assert titles_in(response) == expected


def test_browse_by_production(client):
    production = ProductionFactory(title="Faust")
    CollectionObjectFactory(title="In Faust", production=production)
    CollectionObjectFactory(title="Elsewhere")

    response = client.get(reverse("objects:browse"), {"production": production.slug})

    assert titles_in(response) == ["In Faust"]
    assert "Showing objects from" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "object_type=spaceship",
        "decade=abc",
        "decade=99999999999999999999",
        "decade=1900",
        "production=no-such-show",
        "sort=drop%20table",
        "page=abc",
        "page=-1",
        "page=99999",
        "page=1e9",
        "object_type=poster&object_type=letter",
        "%00=%00&decade=%00",
        "production=%00&object_type=%00&sort=%00&page=%00",
    ],
)
def test_bad_browse_parameters_are_ignored_not_errors(client, query):
    CollectionObjectFactory(title="Still here")

    response = client.get(f"{reverse('objects:browse')}?{query}")

    assert response.status_code == 200
    assert "Still here" in titles_in(response)


def test_browse_paginates(client):
    CollectionObjectFactory.create_batch(30)

    first = client.get(reverse("objects:browse"))
    second = client.get(reverse("objects:browse"), {"page": "2", "sort": "title"})

    assert len(first.context["page"].object_list) == 24
    assert "Page 1 of 2" in first.content.decode()
    assert len(second.context["page"].object_list) == 6
    assert 'href="?page=1&amp;sort=title" rel="prev"' in second.content.decode()


def test_page_links_show_a_window_with_the_first_and_last_pages(client):
    CollectionObjectFactory.create_batch(24 * 9 + 1)  # ten pages

    html = client.get(reverse("objects:browse"), {"page": "5", "has_image": ""}).content.decode()

    nav = html[
        html.index('<nav class="pagination"') : html.index("</nav>", html.index("pagination"))
    ]
    assert "Page 5 of 10" in nav
    numbers = [int(n) for n in re.findall(r'<span class="visually-hidden">Page </span>(\d+)', nav)]
    assert numbers == [1, 3, 4, 5, 6, 7, 10]
    assert '<span aria-current="page"><span class="visually-hidden">Page </span>5</span>' in nav
    assert 'href="?page=4&amp;has_image=" rel="prev"' in nav
    assert 'href="?page=6&amp;has_image=" rel="next"' in nav


# --- Maker, production, subject, place pages -----------------------------------


def test_maker_page_lists_live_objects(client):
    maker = MakerFactory(name="Jane Poster")
    mine = CollectionObjectFactory(title="Mine", makers=[maker])
    CollectionObjectFactory(title="My draft", makers=[maker], live=False)
    CollectionObjectFactory(title="Someone else's")

    response = client.get(maker.get_absolute_url())

    assert response.status_code == 200
    assert titles_in(response) == [mine.title]
    assert "1 published object" in response.content.decode()


def test_production_page_shows_the_show_and_its_objects(client):
    production = ProductionFactory(title="Faust", company="Punchdrunk", venue_space="Grand Hall")
    CollectionObjectFactory(title="Faust poster", production=production)

    response = client.get(production.get_absolute_url())

    html = response.content.decode()
    assert "Punchdrunk" in html and "Grand Hall" in html
    assert titles_in(response) == ["Faust poster"]


def test_subject_and_place_pages(client):
    subject = SubjectFactory(name="Masks")
    place = PlaceFactory(name="Battersea")
    obj = CollectionObjectFactory(title="Masked figure")
    obj.subjects.add(subject)
    obj.places.add(place)
    obj.save()  # commits the in-memory ParentalManyToMany changes

    assert titles_in(client.get(subject.get_absolute_url())) == ["Masked figure"]
    assert titles_in(client.get(place.get_absolute_url())) == ["Masked figure"]


@pytest.mark.parametrize("name", ["maker", "production", "subject", "place"])
def test_unknown_listing_pages_are_404(client, name):
    assert client.get(reverse(f"objects:{name}", args=["nobody"])).status_code == 404


# --- Query counts: a page costs the same whatever its length --------------------


def populate(count: int):
    production = ProductionFactory()
    maker = MakerFactory()
    subject = SubjectFactory()
    objects = []
    for _ in range(count):
        obj = object_with_image(production=production, makers=[maker])
        obj.subjects.add(subject)
        obj.save()
        objects.append(obj)
    return production, maker, subject, objects


def page_urls(production, maker, subject, objects) -> list[str]:
    return [
        reverse("objects:browse"),
        reverse("objects:browse") + "?has_image=on&sort=-date&object_type=poster",
        production.get_absolute_url(),
        maker.get_absolute_url(),
        subject.get_absolute_url(),
        objects[0].get_absolute_url(),
    ]


def count_queries(client, url, django_assert_max_num_queries) -> int:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    # Cold, every time: includes the footer's site pages (up to 3 queries).
    cache.clear()
    ContentType.objects.clear_cache()
    with django_assert_max_num_queries(13) as captured:  # the object page, detailed below
        response = client.get(url)
    assert response.status_code == 200
    assert "<picture" in response.content.decode()
    return len(captured)


def test_list_pages_make_the_same_number_of_queries_for_1_or_30_objects(
    client, django_assert_max_num_queries
):
    one = populate(1)
    counts_for_one = [
        count_queries(client, url, django_assert_max_num_queries) for url in page_urls(*one)
    ]
    CollectionObject.objects.all().delete()

    thirty = populate(30)
    counts_for_thirty = [
        count_queries(client, url, django_assert_max_num_queries) for url in page_urls(*thirty)
    ]

    assert counts_for_thirty == counts_for_one


def test_object_page_query_count_does_not_grow_with_makers_or_related(
    client, django_assert_max_num_queries
):
    production = ProductionFactory()
    makers = MakerFactory.create_batch(5)
    obj = object_with_image(production=production, makers=makers)
    for _ in range(8):
        object_with_image(production=production, makers=makers)

    # 8 for the object and its related objects, 1 for the stories featuring it,
    # 1 for its community memories, 3 for the footer's site pages (cold cache only:
    # the site links, their pages, the open data page's content type).
    with django_assert_max_num_queries(13):
        response = client.get(obj.get_absolute_url())

    assert response.status_code == 200
    production_section = response.context["related_objects"].split("related-maker-heading")[0]
    assert production_section.count('class="object-card"') == 6
    assert ObjectMaker.objects.filter(object=obj).count() == 5


# --- Home page and error pages ----------------------------------------------------


def test_home_page_shows_recent_objects_with_images(client):
    with_image = object_with_image(title="Recently added poster", is_sample_content=True)
    CollectionObjectFactory(title="No picture")

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert with_image.get_absolute_url() in html
    assert "No picture" not in html
    assert "Browse 2 objects" in html
    assert "Sample data." in html
    assert 'href="#main"' in html and '<main id="main"' in html


def test_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html


def test_sample_records_are_never_cited_as_bac_archive_objects(client):
    obj = CollectionObjectFactory(title="Tate sample", is_sample_content=True)

    html = client.get(obj.get_absolute_url()).content.decode()

    assert f"Sample data, BAC Collection website, {obj.accession_number}" in html
    assert "Battersea Arts Centre Archive" not in html
    assert json_ld(html)["isPartOf"]["name"] == "Sample data, BAC Collection website"
