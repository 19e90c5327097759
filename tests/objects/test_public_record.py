"""An object's public record (objects/public_record.py), as the API, the bulk
downloads and the search read it: built set-based from a queryset of objects."""

import pytest
from django.urls import reverse

from images.models import ArchiveImage
from objects.models import CollectionObject, ObjectMaker
from objects.public_record import public_records
from tests.factories.images import ArchiveImageFactory
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


def _records(**kwargs):
    return public_records(CollectionObject.objects.order_by("pk"), **kwargs)


def test_a_record_holds_what_the_site_publishes_worked_out_once():
    poster = CollectionObjectFactory(
        title="The Red Shoes poster",
        accession_number="BAC-2002-001",
        description="<p>Printed in red &amp; black.</p><p>Folded.</p>",
        rights_uri="https://creativecommons.org/licenses/by/4.0/",
        production=ProductionFactory(title="The Red Shoes", slug="the-red-shoes"),
        subjects=[SubjectFactory(name="Dance"), SubjectFactory(name="Costume")],
        places=[PlaceFactory(name="Grand Hall")],
    )
    for order, (name, role) in enumerate([("Kneehigh", "company"), ("Emma Rice", "director")]):
        ObjectMaker.objects.create(
            object=poster, maker=MakerFactory(name=name), role=role, sort_order=order
        )

    [record] = _records()

    assert record.description == "Printed in red & black. Folded."
    assert record.rights_label == "CC BY 4.0"
    assert record.path == reverse("objects:object", args=[poster.slug])
    assert [(m.name, m.role) for m in record.makers] == [
        ("Kneehigh", "company"),
        ("Emma Rice", "director"),
    ]
    assert record.makers[0].path == reverse("objects:maker", args=[record.makers[0].slug])
    assert (record.production.name, record.production.path) == (
        "The Red Shoes",
        reverse("objects:production", args=["the-red-shoes"]),
    )
    assert [s.name for s in record.subjects] == ["Costume", "Dance"]  # by name
    assert [p.name for p in record.places] == ["Grand Hall"]
    assert record.object_type == "poster" and record.object_type_label == "Poster"


def test_only_processed_images_with_public_sizes_are_in_the_record():
    obj = CollectionObjectFactory()
    shown = ready_image(title="Front", description="", credit="Photo: BAC")
    ObjectImageFactory(object=obj, image=shown, alt_text="", credit="", sort_order=0)
    pending = ArchiveImageFactory(processing_status=ArchiveImage.ProcessingStatus.PENDING)
    ObjectImageFactory(object=obj, image=pending, sort_order=1)

    [record] = _records()

    [image] = record.images
    assert (image.image_id, image.alt_text, image.credit) == (shown.pk, "Front", "Photo: BAC")
    # Each distinct size once, smallest first (as IIIF lists them).
    assert image.sizes and image.sizes == tuple(sorted(set(image.sizes)))


def test_parts_a_reader_does_not_ask_for_are_none_not_empty():
    CollectionObjectFactory()

    [everything] = _records()
    [listed] = _records(subjects_and_places=False, images=False)

    assert (everything.subjects, everything.places, everything.images) == ((), (), ())
    assert (listed.subjects, listed.places, listed.images) == (None, None, None)


def test_records_come_in_the_querysets_order_in_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    def make(title):
        obj = CollectionObjectFactory(
            title=title, makers=[MakerFactory()], subjects=[SubjectFactory()]
        )
        ObjectImageFactory(object=obj, image=ready_image())
        return obj

    make("Zebra")
    # objects, makers, subjects, places, images, image sizes
    with django_assert_num_queries(6):
        public_records(CollectionObject.objects.all())
    for title in ["Apple", "Mango", "Kiwi"]:
        make(title)
    with django_assert_num_queries(6):
        records = public_records(CollectionObject.objects.order_by("title"))

    assert [r.title for r in records] == ["Apple", "Kiwi", "Mango", "Zebra"]
    assert all(r.makers and r.subjects and r.images for r in records)
