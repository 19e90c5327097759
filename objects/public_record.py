"""An object's public record: what the site publishes about a collection object,
built in one place for every place that publishes it.

The open-data API (api/object_records.py: its object lists, its object detail and
the bulk downloads) and the site search (objects/search.py: the search row and the
engine document) each shape a `PublicRecord` into their own format; none of them
works out a shared value (the plain-text description, the rights label, the page's
path, which images are ready and at what sizes, the order of makers, subjects and
places) for itself. tests/api/test_public_record_agrees.py holds them to it.

`public_records(objects)` loads the records of a queryset of objects set-based:
one query for the objects (their type and production joined), then one each for
makers, subjects, places, images and image sizes, whatever the number of objects.
Records are named tuples: a search rebuild or a dump builds 100,000 of them, and a
tuple is made several times faster than a frozen dataclass.
"""

from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from django.db.models import QuerySet

from foundation.absolute_urls import path_for
from foundation.text import plain_text
from images.models import ArchiveImage, ArchiveRendition
from images.renditions import FALLBACK_FORMAT, all_derivatives

from .models import RIGHTS_STATEMENTS, CollectionObject, ObjectImage, ObjectMaker


class NamedTerm(NamedTuple):
    """A production, subject or place an object is catalogued against."""

    slug: str
    name: str
    view_name: str  # its page on the site

    @property
    def path(self) -> str:
        return path_for(self.view_name, self.slug)


class MakerCredit(NamedTuple):
    """A maker credited on an object, in the object's order, with their role there."""

    slug: str
    name: str
    kind: str
    role: str

    @property
    def path(self) -> str:
        return path_for("objects:maker", self.slug)


class Size(NamedTuple):
    width: int
    height: int


class PublicImage(NamedTuple):
    """An image of the object that can be shown: processed, with public derivatives."""

    image_id: int
    alt_text: str  # the object image's, else the image's description, else its title
    credit: str  # the object image's, else the image's
    sizes: tuple[Size, ...]  # distinct sizes of its whole-image JPEGs, smallest first


class PublicRecord(NamedTuple):
    # As stored (PLAIN_COLUMNS, in this order)...
    pk: int
    slug: str
    accession_number: str
    title: str
    object_type: str  # slug
    object_type_label: str
    date_display: str
    date_earliest: int | None
    date_latest: int | None
    is_sample_content: bool
    materials: str
    dimensions: str
    credit_line: str
    content_warning: str
    has_image: bool  # has an image the site's listings show (kept by the images pipeline)
    updated_at: datetime
    rights_uri: str
    # ...then worked out here.
    path: str  # the object's page on the site
    rights_label: str
    description: str  # plain text
    makers: tuple[MakerCredit, ...]
    production: NamedTerm | None
    # None where the loader was asked not to load them (public_records).
    subjects: tuple[NamedTerm, ...] | None
    places: tuple[NamedTerm, ...] | None
    images: tuple[PublicImage, ...] | None


PLAIN_COLUMNS = (
    "pk",
    "slug",
    "accession_number",
    "title",
    "object_type__slug",
    "object_type__name",
    "date_display",
    "date_earliest",
    "date_latest",
    "is_sample_content",
    "materials",
    "dimensions",
    "credit_line",
    "content_warning",
    "has_image",
    "updated_at",
    "rights_uri",
)


def public_size_specs() -> list[str]:
    """Filter specs of the derivatives offered as whole images (the IIIF sizes):
    every JPEG the pipeline fits (never crops) into a box."""
    return [d.filter_spec for d in all_derivatives() if d.format == FALLBACK_FORMAT and not d.crop]


def public_records(
    objects: QuerySet[CollectionObject], *, subjects_and_places: bool = True, images: bool = True
) -> list[PublicRecord]:
    """The records of `objects` (filtered, ordered and sliced by the caller: it
    decides what is public), in its order. Lists that show no subjects, places
    or images skip their queries: those fields are then None."""
    rows = list(
        objects.values_list(*PLAIN_COLUMNS, "description", "production__slug", "production__title")
    )
    if not rows:
        return []
    ids = [row[0] for row in rows]
    makers = _makers(ids)
    subjects = _terms(ids, "subjects", "objects:subject") if subjects_and_places else None
    places = _terms(ids, "places", "objects:place") if subjects_and_places else None
    ready = _ready_images(ids) if images else None
    records = []
    for *plain, description, production_slug, production_title in rows:
        pk, slug, rights_uri = plain[0], plain[1], plain[-1]
        records.append(
            PublicRecord(
                *plain,
                path=path_for("objects:object", slug),
                rights_label=RIGHTS_STATEMENTS.get(rights_uri, rights_uri),
                description=plain_text(description),
                makers=makers.get(pk, ()),
                production=None
                if production_slug is None
                else NamedTerm(production_slug, production_title, "objects:production"),
                subjects=None if subjects is None else subjects.get(pk, ()),
                places=None if places is None else places.get(pk, ()),
                images=None if ready is None else ready.get(pk, ()),
            )
        )
    return records


def _grouped(pairs, make) -> dict[int, tuple]:
    grouped = defaultdict(list)
    for key, *value in pairs:
        grouped[key].append(make(*value))
    return {key: tuple(values) for key, values in grouped.items()}


def _makers(ids: list[int]) -> dict[int, tuple[MakerCredit, ...]]:
    credits = (
        ObjectMaker.objects.filter(object_id__any=ids)
        .order_by("sort_order", "pk")
        .values_list("object_id", "maker__slug", "maker__name", "maker__kind", "role")
    )
    return _grouped(credits, MakerCredit)


def _terms(ids: list[int], relation: str, view_name: str) -> dict[int, tuple[NamedTerm, ...]]:
    """Subjects or places, by name (their models' order)."""
    term = relation.removesuffix("s")
    links = (
        getattr(CollectionObject, relation)
        .through.objects.filter(collectionobject_id__any=ids)
        .order_by(f"{term}__name")
        .values_list("collectionobject_id", f"{term}__slug", f"{term}__name")
    )
    return _grouped(links, lambda slug, name: NamedTerm(slug, name, view_name))


def _ready_images(ids: list[int]) -> dict[int, tuple[PublicImage, ...]]:
    """Each object's processed images with public derivatives, in order."""
    items = list(
        ObjectImage.objects.filter(
            object_id__any=ids, image__processing_status=ArchiveImage.ProcessingStatus.READY
        )
        .order_by("sort_order", "pk")
        .values_list(
            "object_id",
            "image_id",
            "alt_text",
            "image__description",
            "image__title",
            "credit",
            "image__credit",
        )
    )
    if not items:
        return {}
    sizes = defaultdict(set)
    for image_id, width, height in ArchiveRendition.objects.filter(
        image_id__any=list({item[1] for item in items}), filter_spec__in=public_size_specs()
    ).values_list("image_id", "width", "height"):
        sizes[image_id].add(Size(width, height))
    ready = defaultdict(list)
    for object_id, image_id, alt_text, description, title, credit, image_credit in items:
        if sizes[image_id]:
            ready[object_id].append(
                PublicImage(
                    image_id,
                    alt_text or description or title,
                    credit or image_credit,
                    tuple(sorted(sizes[image_id])),
                )
            )
    return {object_id: tuple(images) for object_id, images in ready.items()}
