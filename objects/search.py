"""How collection objects appear in the site search (docs/search.md)."""

from django.db import connection
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL

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
from .related import with_images
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
        """With their primary image: the objects, then the images of those that
        have any with the renditions a listing shows (one query on PostgreSQL, two
        elsewhere; none when no object on the page has an image)."""
        objects = list(
            CollectionObject.objects.filter(pk__in=pks, live=True)
            .select_related("object_type")
            # Type and date make the card of an object without an image.
            .only(
                "pk",
                "slug",
                "content_warning",
                "is_sample_content",
                "date_display",
                "has_image",
                "object_type__name",
            )
        )
        shown = with_images(objects)
        if connection.vendor != "postgresql":
            prefetch_related_objects(shown, images_prefetch(usages=(HIT_USAGE,)))
        else:
            images = Prefetch("object_images", queryset=_images_with_renditions_json())
            prefetch_related_objects(shown, images)
            built = {}
            for obj in shown:
                for object_image in obj.object_images.all():
                    _attach_renditions(object_image.image, object_image.renditions_json, built)
        return {obj.pk: obj for obj in objects}


HIT_USAGE = "listing"
RENDITION_FIELDS = ("id", "filter_spec", "file", "width", "height", "focal_point_key")
# An image's renditions among the specs given: one JSON array of rows, each the
# RENDITION_FIELDS in order (one document to decode per image, not one per rendition).
RENDITIONS_JSON_SQL = (
    f"(SELECT coalesce(json_agg(json_build_array({', '.join(RENDITION_FIELDS)}) ORDER BY id),"  # noqa: S608  (fixed names; the specs are a parameter)
    " '[]') FROM images_archiverendition"
    " WHERE image_id = objects_objectimage.image_id AND filter_spec = ANY(%s))"
)


def _images_with_renditions_json() -> QuerySet[ObjectImage]:
    """Object images with their image rows and, as an array of JSON in the same
    row, the renditions `{% picture %}` reads for a listing: what images_prefetch
    loads in two queries, in one. (Written as SQL: built from expressions, the
    query took longer to compile than the round trip it saves.)"""
    specs = picture_filter_specs(usages=(HIT_USAGE,))
    return (
        ObjectImage.objects.select_related("image")
        .annotate(renditions_json=RawSQL(RENDITIONS_JSON_SQL, [specs]))  # noqa: S611  (fixed SQL)
        .order_by("sort_order", "pk")
    )


def _attach_renditions(image: ArchiveImage, rows: list[list], built: dict[int, list]) -> None:
    """Renditions built from their JSON rows (once per image, however many objects
    show it), where Wagtail's find_existing_renditions looks first
    (`prefetched_renditions`, as a Prefetch to that attribute leaves them)."""
    if image.pk not in built:
        names = [*RENDITION_FIELDS, "image_id"]
        built[image.pk] = [
            ArchiveRendition.from_db(image._state.db, names, [*row, image.pk]) for row in rows
        ]
        for rendition in built[image.pk]:
            rendition.image = image
    image.prefetched_renditions = built[image.pk]
