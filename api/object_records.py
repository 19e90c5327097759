"""An object's record in the open data: what GET /api/v1/objects/ lists, what
GET /api/v1/objects/{slug} returns and what the bulk downloads hold, shaped here
once from the object's public record (objects/public_record.py).

The API answers with these dicts (validated by schemas.ObjectSummary and
schemas.ObjectDetail, which declare the same fields in the same order); the dump
writes them as they are, batch by batch: validating 100,000 records through the
API's schemas made the dump take minutes. Links are absolute: on the request's
host in the API, on SITE_BASE_URL in the dump.
"""

from collections.abc import Iterator

from foundation.absolute_urls import SiteRoot, path_for
from objects.public_record import PublicRecord, public_records
from objects.selectors import live_objects

from .iiif import Absolute, image_url, thumbnail_size


class Links:
    """Absolute URLs from paths reversed once: a record needs a dozen."""

    def __init__(self, absolute: Absolute):
        self.absolute = absolute

    def to(self, view_name: str, argument, *fixed) -> str:
        return self.absolute(path_for(view_name, argument, *fixed))


def _sizes(image) -> list[dict]:
    """An image's sizes as api.iiif reads them."""
    return [size._asdict() for size in image.sizes]


def _term(term, links: Links) -> dict:
    return {"slug": term.slug, "name": term.name, "url": links.absolute(term.path)}


def object_summary_fields(record: PublicRecord, links: Links) -> dict:
    """The fields of schemas.ObjectSummary, in order. `record` needs its images."""
    first = record.images[0] if record.images else None
    page = links.absolute(record.path)
    return {
        "id": record.pk,
        "slug": record.slug,
        "accession_number": record.accession_number,
        "title": record.title,
        "object_type": record.object_type,
        "object_type_label": record.object_type_label,
        "date_display": record.date_display,
        "date_earliest": record.date_earliest,
        "date_latest": record.date_latest,
        "makers": [
            {
                "slug": maker.slug,
                "name": maker.name,
                "kind": maker.kind,
                "role": maker.role,
                "url": links.absolute(maker.path),
                "api_url": links.to("api:maker_detail", maker.slug),
            }
            for maker in record.makers
        ],
        "production": _term(record.production, links) if record.production else None,
        "rights_uri": record.rights_uri,
        "rights_label": record.rights_label,
        "is_sample_data": record.is_sample_content,  # the API's published name
        "thumbnail": (
            image_url(first.image_id, thumbnail_size(_sizes(first)), links.absolute)
            if first
            else None
        ),
        "iiif_manifest": links.to("iiif:manifest", record.slug) if first else None,
        "url": page,
        "uri": page,  # the object's identifier in linked data
        "api_url": links.to("api:object_detail", record.slug),
    }


def object_detail_fields(record: PublicRecord, links: Links) -> dict:
    """The fields of schemas.ObjectDetail, in order: the summary's, then the rest.
    `record` needs everything public_records loads."""
    return {
        **object_summary_fields(record, links),
        "description": record.description,
        "materials": record.materials,
        "dimensions": record.dimensions,
        "credit_line": record.credit_line,
        "content_warning": record.content_warning,
        "subjects": [_term(subject, links) for subject in record.subjects],
        "places": [_term(place, links) for place in record.places],
        "images": [_image(image, links) for image in record.images],
        "linked_data": {
            "schema_org": links.to("linked_data:object", record.slug, "jsonld"),
            "linked_art": links.to("linked_data:object", record.slug, "linked-art.json"),
        },
    }


def _image(image, links: Links) -> dict:
    largest = image.sizes[-1]._asdict()
    return {
        "iiif_image_service": links.to("iiif:image-base", image.image_id),
        "url": image_url(image.image_id, largest, links.absolute),
        "width": largest["width"],
        "height": largest["height"],
        "alt_text": image.alt_text,
        "credit": image.credit,
    }


def object_records(batch_size: int) -> Iterator[dict]:
    """Every live object's detail record for the bulk downloads, in primary-key
    order, `batch_size` objects (and a fixed number of queries) at a time."""
    links = Links(SiteRoot().build_absolute_uri)
    after = 0
    while True:
        records = public_records(live_objects().filter(pk__gt=after).order_by("pk")[:batch_size])
        if not records:
            return
        for record in records:
            yield object_detail_fields(record, links)
        after = records[-1].pk
