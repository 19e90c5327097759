"""How collection objects appear in the site search (docs/search.md)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, Prefetch, QuerySet
from django.db.models.functions import JSONObject

from images.models import ArchiveImage, ArchiveRendition
from images.selectors import picture_filter_specs
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
from .selectors import images_prefetch, object_type_choices


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
        """With their primary image: the objects, then their images with the
        renditions a listing shows (one query on PostgreSQL, two elsewhere)."""
        objects = (
            CollectionObject.objects.filter(pk__in=pks, live=True)
            .select_related("object_type")
            # Type and date make the card of an object without an image.
            .only(
                "pk",
                "slug",
                "content_warning",
                "is_sample_content",
                "date_display",
                "object_type__name",
            )
        )
        if connection.vendor != "postgresql":
            objects = objects.prefetch_related(images_prefetch(usages=(HIT_USAGE,)))
            return {obj.pk: obj for obj in objects}
        objects = objects.prefetch_related(
            Prefetch("object_images", queryset=_images_with_renditions_json())
        )
        found = {obj.pk: obj for obj in objects}
        for obj in found.values():
            for object_image in obj.object_images.all():
                _attach_renditions(object_image.image, object_image.renditions_json)
        return found


HIT_USAGE = "listing"
RENDITION_FIELDS = ("id", "filter_spec", "file", "width", "height", "focal_point_key")


def _images_with_renditions_json() -> QuerySet[ObjectImage]:
    """Object images with their image rows and, as an array of JSON in the same
    row, the renditions `{% picture %}` reads for a listing: what images_prefetch
    loads in two queries, in one."""
    renditions = (
        ArchiveRendition.objects.filter(
            image_id=OuterRef("image_id"),
            filter_spec__in=picture_filter_specs(usages=(HIT_USAGE,)),
        )
        .order_by("pk")
        .values(json=JSONObject(**{name: name for name in RENDITION_FIELDS}))
    )
    return (
        ObjectImage.objects.select_related("image")
        .annotate(renditions_json=ArraySubquery(renditions))
        .order_by("sort_order", "pk")
    )


def _attach_renditions(image: ArchiveImage, rows: list[dict]) -> None:
    """Renditions built from their JSON rows, where Wagtail's find_existing_renditions
    looks first (`prefetched_renditions`, as a Prefetch to that attribute leaves them)."""
    db = image._state.db
    renditions = []
    for row in rows:
        rendition = ArchiveRendition.from_db(
            db, [*RENDITION_FIELDS, "image_id"], [*(row[n] for n in RENDITION_FIELDS), image.pk]
        )
        rendition.image = image
        renditions.append(rendition)
    image.prefetched_renditions = renditions
