"""Browse opens on objects with images (issue: the first five minutes): the
`has_image` flag the database keeps, the indexes that serve its orders, the
placeholder card of an object without an image, and the filter's state."""

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from objects.models import CollectionObject, ObjectImage
from objects.selectors import BrowseFilters, object_browse_queryset, object_types
from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory

from .pages_support import object_with_image, ready_image

pytestmark = pytest.mark.django_db


def flag(obj) -> bool:
    return CollectionObject.objects.values_list("has_image", flat=True).get(pk=obj.pk)


def test_has_image_follows_images_however_they_are_written():
    obj, other = CollectionObjectFactory(), CollectionObjectFactory()
    assert not flag(obj)

    first = ObjectImageFactory(object=obj, image=ready_image())
    ObjectImage.objects.bulk_create([ObjectImage(object=obj, image=ready_image(), sort_order=1)])
    assert flag(obj)

    first.delete()
    assert flag(obj), "one image is left"
    ObjectImage.objects.filter(object=obj).update(object=other)  # moved
    assert not flag(obj) and flag(other)

    ObjectImage.objects.filter(object=other).delete()  # a bulk delete, as the importer's
    assert not flag(other)


def test_a_save_from_a_stale_instance_cannot_store_an_old_value():
    obj = CollectionObjectFactory()
    stale = CollectionObject.objects.get(pk=obj.pk)
    ObjectImageFactory(object=obj, image=ready_image())

    stale.title = "Renamed"
    stale.save()

    assert flag(obj)


def test_browse_lists_objects_with_images_first_and_says_so(client):
    CollectionObjectFactory(title="Aardvark costume", date_earliest=1970)
    object_with_image(title="Zebra poster", date_earliest=2001)

    html = client.get(reverse("objects:browse"), {"sort": "title"}).content.decode()

    assert html.index("Zebra poster") < html.index("Aardvark costume")
    assert "Objects with images first." in html
    assert 'href="?sort=title&amp;has_image=on">Show only objects with images</a>' in html


def test_the_image_filter_says_what_it_hides_and_undoes_itself(client):
    CollectionObjectFactory(title="Aardvark costume")
    object_with_image(title="Zebra poster")

    html = client.get(reverse("objects:browse"), {"has_image": "on"}).content.decode()

    assert "1 object with images" in html
    assert "Aardvark costume" not in html
    assert 'href="?">Show objects without images too</a>' in html
    assert "Filter <span" in html and "(1 in use)" in html


def test_an_object_without_an_image_gets_a_card_with_its_type_and_date(client):
    CollectionObjectFactory(title="Playbill", object_type="programme", date_display="c. 1985")
    CollectionObjectFactory(title="Undated thing", date_display="")

    html = client.get(reverse("objects:browse")).content.decode()

    assert "No image" not in html
    card = html[html.index('class="object-card__placeholder"') :]
    assert "Programme</span>" in card[:300] and "c. 1985</span>" in card[:300]
    assert "Undated</span>" in html


def test_browse_costs_the_same_queries_as_before(client, django_assert_num_queries):
    """The images-first order and the image filter read a column: no query is added.
    (The first request warms the facets, the vocabulary and the footer's site pages;
    not the cards, whose images the counted request loads.)"""
    object_with_image()
    CollectionObjectFactory()
    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        client.get(reverse("objects:browse"))

    # The filtered total (cached from then on), ids, objects, their images with their
    # renditions (one query on PostgreSQL, where each image's come as JSON; two elsewhere).
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 5):
        client.get(reverse("objects:browse"), {"sort": "-title", "has_image": "on"})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize(
    "filters",
    [
        *(BrowseFilters(sort=sort) for sort in ("date", "-date", "title", "-title")),
        *(BrowseFilters(sort=sort, has_image=True) for sort in ("date", "-date", "title")),
        BrowseFilters(object_type="poster"),  # a type is served oldest first, as before
    ],
    ids=repr,
)
def test_browse_orders_are_read_from_an_index(filters):
    """With sorting switched off the planner must find an index that gives the order:
    at a million objects a sort would read every live object for each page."""
    CollectionObjectFactory(object_type="poster")
    object_types()  # the type's id is read from the cached vocabulary
    query = object_browse_queryset(filters=filters)
    sql, params = query.values_list("pk", flat=True)[:24].query.sql_with_params()
    with connection.cursor() as cursor:
        for method in ("sort", "incremental_sort", "seqscan", "bitmapscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index" in plan and "Sort" not in plan, plan
