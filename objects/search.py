"""How collection objects appear in the site search (docs/search.md)."""

from functools import partial

from django.template.loader import render_to_string

from foundation.fragment_cache import Fragment, cached_fragments
from foundation.page_cache import page_cache_shows
from search.documents import SearchDocument
from search.registry import Facet, IndexedRecord, SearchKind, register

from .models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Place,
    Production,
    Subject,
)
from .public_record import PublicRecord, public_records
from .related import card_shows
from .selectors import load_listing_images, object_type_choices, objects_by_id

# What a search hit's picture shows: type and date make that of an object without an image.
HIT_COLUMNS = (
    "slug",
    "content_warning",
    "is_sample_content",
    "date_display",
    "has_image",
    "object_type__name",
)


class ObjectDocument(SearchDocument):
    """Objects need only the common fields."""


@register
class ObjectKind(SearchKind):
    name = "objects"
    label = "Objects"
    hit_label = "Object"
    model = CollectionObject
    document = ObjectDocument
    facets = [
        Facet("type", "Object type", size=20, choices=object_type_choices),
        Facet("production", "Production"),
        Facet("maker", "Maker"),
        Facet("subject", "Subject"),
    ]
    dependencies = {
        ObjectMaker: "object_makers",
        ObjectImage: "object_images",
        Maker: "object_makers__maker",
        Production: "production",
        ObjectType: "object_type",
        Subject: "subjects",
        Place: "places",
    }
    hit_template = "search/includes/object_hit.html"

    def public_queryset(self):
        return CollectionObject.objects.filter(live=True).order_by("pk")

    def rows(self, pks):
        """The objects' public records (objects/public_record.py), the same the
        API and the bulk downloads publish, without their images (the search
        shows whether there is one, `has_image`): plain values in four queries,
        no model instances, whose building was three quarters of the time of
        reindexing 100,000 objects."""
        return public_records(self.public_queryset().filter(pk__any=pks), images=False)

    def to_record(self, row: PublicRecord) -> IndexedRecord:
        maker_names = list(dict.fromkeys(maker.name for maker in row.makers))
        production = row.production
        summary = [row.object_type_label, row.date_display, "; ".join(maker_names)]
        summary.append(production.name if production else "")
        return IndexedRecord(
            pk=row.pk,
            title=row.title,
            url=row.path,
            summary=" · ".join(part for part in summary if part),
            identifier=row.accession_number,
            names=[*maker_names, *([production.name] if production else [])],
            keywords=[
                *(subject.name for subject in row.subjects),
                *(place.name for place in row.places),
                *([row.materials] if row.materials else []),
            ],
            description=row.description,
            facets={
                "type": [(row.object_type, row.object_type_label)],
                "production": [(production.slug, production.name)] if production else [],
                "maker": [(maker.slug, maker.name) for maker in row.makers],
                "subject": [(subject.slug, subject.name) for subject in row.subjects],
            },
            date_earliest=row.date_earliest,
            has_image=row.has_image,
        )

    def records_for_hits(self, pks):
        """The live objects, each with its hit's picture (`hit_image`): kept as a
        fragment until the object, its type or its image changes, the images of those
        not kept loaded in one query (objects.selectors.load_listing_images: none when
        no object on the page has an image)."""
        objects = list(objects_by_id(pks, columns=HIT_COLUMNS, live_only=True).values())

        def load_images(positions: list[int]) -> None:
            load_listing_images([objects[n] for n in positions])

        images = cached_fragments(
            [Fragment(f"objects:hit-image:{obj.pk}", partial(_hit_image, obj)) for obj in objects],
            before_rendering=load_images,
        )
        for obj, image in zip(objects, images, strict=True):
            obj.hit_image = image
        return {obj.pk: obj for obj in objects}


def _hit_image(obj: CollectionObject) -> str:
    page_cache_shows(*card_shows(obj))
    return render_to_string("search/includes/object_hit_image.html", {"record": obj})
