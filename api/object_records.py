"""Object records for the bulk downloads, built set-based.

Each record is exactly what GET /api/v1/objects/{slug} returns (the
schemas.ObjectDetail fields, in order), but built from plain rows: a batch of
objects is one query, then one query each for its makers, productions,
subjects, places, images and their sizes. Validating 100,000 model instances
through the API's schemas made the dump take minutes; tests/api/test_dumps.py
holds the two to the same output.
"""

from collections import defaultdict
from collections.abc import Iterator

from foundation.absolute_urls import SiteRoot, path_for
from foundation.text import plain_text
from images.models import ArchiveImage, ArchiveRendition
from objects.models import (
    RIGHTS_STATEMENTS,
    CollectionObject,
    ObjectImage,
    ObjectMaker,
    Production,
)
from objects.selectors import live_objects

from .iiif import image_sizes, image_url, thumbnail_size
from .selectors import iiif_size_specs

OBJECT_COLUMNS = (
    "id",
    "slug",
    "accession_number",
    "title",
    "object_type__slug",
    "object_type__name",
    "date_display",
    "date_earliest",
    "date_latest",
    "production_id",
    "rights_uri",
    "is_sample_content",
    "description",
    "materials",
    "dimensions",
    "credit_line",
    "content_warning",
)


class _Links:
    """Absolute URLs from paths reversed once: a record needs a dozen."""

    def __init__(self):
        self.absolute = SiteRoot().build_absolute_uri

    def to(self, view_name: str, argument, *fixed) -> str:
        return self.absolute(path_for(view_name, argument, *fixed))


def object_records(batch_size: int) -> Iterator[dict]:
    """Every live object's public record, in primary-key order."""
    links = _Links()
    after = 0
    while True:
        rows = list(
            live_objects()
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list(*OBJECT_COLUMNS)[:batch_size]
        )
        if not rows:
            return
        yield from _batch_records(rows, links)
        after = rows[-1][0]


def _grouped(pairs) -> dict[int, list]:
    grouped = defaultdict(list)
    for key, *value in pairs:
        grouped[key].append(value)
    return grouped


def _batch_records(rows: list[tuple], links: _Links) -> Iterator[dict]:
    ids = [row[0] for row in rows]
    makers = _grouped(
        ObjectMaker.objects.filter(object_id__in=ids)
        .order_by("sort_order", "pk")
        .values_list("object_id", "maker__slug", "maker__name", "maker__kind", "role")
    )
    production_ids = {row[9] for row in rows if row[9] is not None}
    productions = {
        pk: _term_ref(links, "objects:production", slug, title)
        for pk, slug, title in Production.objects.filter(pk__in=production_ids).values_list(
            "pk", "slug", "title"
        )
    }
    subjects = _grouped(
        CollectionObject.subjects.through.objects.filter(collectionobject_id__in=ids)
        .order_by("subject__name")
        .values_list("collectionobject_id", "subject__slug", "subject__name")
    )
    places = _grouped(
        CollectionObject.places.through.objects.filter(collectionobject_id__in=ids)
        .order_by("place__name")
        .values_list("collectionobject_id", "place__slug", "place__name")
    )
    images = _ready_images(ids)
    for row in rows:
        yield _record(row, makers, productions, subjects, places, images, links)


def _ready_images(ids: list[int]) -> dict[int, list[tuple]]:
    """(image id, alt, credit, sizes) of each object's processed images, in order,
    as api.iiif.ready_images gives them."""
    items = list(
        ObjectImage.objects.filter(
            object_id__in=ids, image__processing_status=ArchiveImage.ProcessingStatus.READY
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
    renditions = defaultdict(list)
    for image_id, width, height in ArchiveRendition.objects.filter(
        image_id__in={item[1] for item in items}, filter_spec__in=iiif_size_specs()
    ).values_list("image_id", "width", "height"):
        renditions[image_id].append(_Size(width, height))
    ready = defaultdict(list)
    for object_id, image_id, alt_text, description, title, credit, image_credit in items:
        sizes = image_sizes(renditions[image_id])
        if sizes:
            alt = alt_text or description or title
            ready[object_id].append((image_id, alt, credit or image_credit, sizes))
    return ready


class _Size:
    """A rendition's dimensions, as image_sizes reads them."""

    __slots__ = ("width", "height")

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height


def _term_ref(links: _Links, view_name: str, slug: str, name: str) -> dict:
    return {"slug": slug, "name": name, "url": links.to(view_name, slug)}


def _record(row, makers, productions, subjects, places, images, links: _Links) -> dict:
    (
        pk,
        slug,
        accession_number,
        title,
        type_slug,
        type_name,
        date_display,
        date_earliest,
        date_latest,
        production_id,
        rights_uri,
        is_sample_content,
        description,
        materials,
        dimensions,
        credit_line,
        content_warning,
    ) = row
    ready = images.get(pk, [])
    page = links.to("objects:object", slug)
    thumbnail = None
    if ready:
        first_id, _, _, sizes = ready[0]
        thumbnail = image_url(first_id, thumbnail_size(sizes), links.absolute)
    return {
        "id": pk,
        "slug": slug,
        "accession_number": accession_number,
        "title": title,
        "object_type": type_slug,
        "object_type_label": type_name,
        "date_display": date_display,
        "date_earliest": date_earliest,
        "date_latest": date_latest,
        "makers": [
            {
                "slug": maker_slug,
                "name": name,
                "kind": kind,
                "role": role,
                "url": links.to("objects:maker", maker_slug),
                "api_url": links.to("api:maker_detail", maker_slug),
            }
            for maker_slug, name, kind, role in makers.get(pk, [])
        ],
        "production": productions.get(production_id),
        "rights_uri": rights_uri,
        "rights_label": RIGHTS_STATEMENTS.get(rights_uri, rights_uri),
        "is_sample_data": is_sample_content,
        "thumbnail": thumbnail,
        "iiif_manifest": links.to("iiif:manifest", slug) if ready else None,
        "url": page,
        "uri": page,  # the object's identifier in linked data
        "api_url": links.to("api:object_detail", slug),
        "description": plain_text(description),
        "materials": materials,
        "dimensions": dimensions,
        "credit_line": credit_line,
        "content_warning": content_warning,
        "subjects": [
            _term_ref(links, "objects:subject", s, name) for s, name in subjects.get(pk, [])
        ],
        "places": [_term_ref(links, "objects:place", s, name) for s, name in places.get(pk, [])],
        "images": [
            {
                "iiif_image_service": links.to("iiif:image-base", image_id),
                "url": image_url(image_id, sizes[-1], links.absolute),
                "width": sizes[-1]["width"],
                "height": sizes[-1]["height"],
                "alt_text": alt,
                "credit": credit,
            }
            for image_id, alt, credit, sizes in ready
        ],
        "linked_data": {
            "schema_org": links.to("linked_data:object", slug, "jsonld"),
            "linked_art": links.to("linked_data:object", slug, "linked-art.json"),
        },
    }
