"""An object's record as JSON-LD: schema.org (what search engines and most
tools read) and Linked Art's `HumanMadeObject` (what museums exchange).

Both are built from the published row only, through the same selectors as
the API, so nothing a visitor cannot see on the object page is included.
Both identify the object by its page's URL (schema.org `@id`, Linked Art `id`),
as IIIF manifests (`homepage`), the API and the dumps (`uri`) do; the documents
themselves are listed as what describes it.
https://schema.org/VisualArtwork and https://linked.art/model/object/
"""

from django.urls import reverse

from foundation.text import plain_text
from objects.models import CollectionObject
from objects.presentation import ARCHIVE_NAME, collection_name, object_json_ld

from .iiif import Absolute, image_url, manifest_url, ready_images

SCHEMA_ORG = "schema.org"
LINKED_ART = "linked-art"
LINKED_ART_CONTEXT = "https://linked.art/ns/v1/linked-art.json"
# Profiles a client may ask for, e.g. Accept: application/ld+json;profile="…".
PROFILES = {"https://schema.org/": SCHEMA_ORG, LINKED_ART_CONTEXT: LINKED_ART}

# Getty AAT terms Linked Art uses to classify names, identifiers and statements.
AAT = "http://vocab.getty.edu/aat/"
PRIMARY_NAME = {"id": f"{AAT}300404670", "type": "Type", "_label": "Primary Name"}
ACCESSION_NUMBER = {"id": f"{AAT}300312355", "type": "Type", "_label": "Accession Number"}
DESCRIPTION = {"id": f"{AAT}300435416", "type": "Type", "_label": "Description"}
BRIEF_TEXT = {"id": f"{AAT}300418049", "type": "Type", "_label": "Brief Text"}
MATERIALS = {"id": f"{AAT}300435429", "type": "Type", "_label": "Material Statement"}
DIMENSIONS = {"id": f"{AAT}300435430", "type": "Type", "_label": "Dimensions Description"}
CREDIT_LINE = {"id": f"{AAT}300435418", "type": "Type", "_label": "Credit Line"}
WEB_PAGE = {"id": f"{AAT}300264578", "type": "Type", "_label": "Web Page"}


def _largest_image_url(obj: CollectionObject, absolute: Absolute) -> str:
    images = ready_images(obj)
    if not images:
        return ""
    item, sizes = images[0]
    return image_url(item.image_id, sizes[-1], absolute)


def object_schema_org(*, obj: CollectionObject, absolute: Absolute) -> dict:
    permalink = absolute(obj.get_absolute_url())
    data = object_json_ld(
        obj=obj,
        makers=list(obj.object_makers.all()),
        permalink=permalink,
        image_url=_largest_image_url(obj, absolute),
    )
    subjects = [subject.name for subject in obj.subjects.all()]
    if subjects:
        data["keywords"] = subjects
    places = [place.name for place in obj.places.all()]
    if places:
        data["spatialCoverage"] = [{"@type": "Place", "name": name} for name in places]
    if obj.production:
        data["recordedAt"] = {
            "@type": "TheaterEvent",
            "name": obj.production.title,
            "url": absolute(obj.production.get_absolute_url()),
        }
    return data


def _statement(content: str, classification: dict) -> dict:
    return {"type": "LinguisticObject", "content": content, "classified_as": [classification]}


def _carried_by(label: str, *, url: str, format: str, **digital_object) -> dict:
    """A text about the object (a page, a record, a manifest) and the document at
    `url` that carries it, as Linked Art's `subject_of` lists them."""
    return {
        "type": "LinguisticObject",
        "_label": label,
        "digitally_carried_by": [
            {
                "type": "DigitalObject",
                **digital_object,
                "format": format,
                "access_point": [{"id": url, "type": "DigitalObject"}],
            }
        ],
    }


def object_linked_art(*, obj: CollectionObject, absolute: Absolute) -> dict:
    permalink = absolute(obj.get_absolute_url())
    record = absolute(reverse("linked_data:object", args=[obj.slug, "linked-art.json"]))
    data = {
        "@context": LINKED_ART_CONTEXT,
        "id": permalink,
        "type": "HumanMadeObject",
        "_label": obj.title,
        "identified_by": [
            {"type": "Name", "content": obj.title, "classified_as": [PRIMARY_NAME]},
            {
                "type": "Identifier",
                "content": obj.accession_number,
                "classified_as": [ACCESSION_NUMBER],
            },
        ],
        "member_of": [
            {"id": absolute("/collection/"), "type": "Set", "_label": collection_name(obj)}
        ],
        "subject_of": [
            _carried_by(
                f"{obj.title}, {ARCHIVE_NAME}",
                url=permalink,
                format="text/html",
                classified_as=[WEB_PAGE],
            ),
            _carried_by(
                "Linked Art record",
                url=record,
                format=f'application/ld+json;profile="{LINKED_ART_CONTEXT}"',
                conforms_to=[{"id": LINKED_ART_CONTEXT, "type": "InformationObject"}],
            ),
        ],
        "subject_to": [
            {
                "type": "Right",
                "classified_as": [
                    {"id": obj.rights_uri, "type": "Type", "_label": obj.rights_label}
                ],
            }
        ],
    }
    statements = [
        (plain_text(obj.description), DESCRIPTION),
        (obj.materials, MATERIALS),
        (obj.dimensions, DIMENSIONS),
        (obj.credit_line, CREDIT_LINE),
    ]
    referred_to_by = [_statement(text, kind) for text, kind in statements if text]
    if referred_to_by:
        data["referred_to_by"] = referred_to_by
    production = _production_activity(obj, absolute)
    if production:
        data["produced_by"] = production
    images = ready_images(obj)
    if images:
        data["representation"] = [
            {
                "type": "VisualItem",
                "digitally_shown_by": [
                    {
                        "type": "DigitalObject",
                        "format": "image/jpeg",
                        "access_point": [
                            {
                                "id": image_url(item.image_id, sizes[-1], absolute),
                                "type": "DigitalObject",
                            }
                        ],
                    }
                ],
            }
            for item, sizes in images
        ]
        data["subject_of"].append(
            _carried_by(
                "IIIF manifest",
                url=manifest_url(obj, absolute),
                format="application/ld+json",
                conforms_to=[
                    {"id": "http://iiif.io/api/presentation", "type": "InformationObject"}
                ],
            )
        )
    return data


def _production_activity(obj: CollectionObject, absolute: Absolute) -> dict | None:
    activity: dict = {"type": "Production"}
    makers = list(obj.object_makers.all())
    if makers:
        activity["carried_out_by"] = [
            {
                "id": absolute(m.maker.get_absolute_url()),
                "type": "Group" if m.maker.kind == "organisation" else "Person",
                "_label": m.maker.name,
            }
            for m in makers
        ]
    if obj.date_earliest is not None:
        latest = obj.date_latest if obj.date_latest is not None else obj.date_earliest
        timespan = {
            "type": "TimeSpan",
            "begin_of_the_begin": f"{obj.date_earliest:04d}-01-01T00:00:00Z",
            "end_of_the_end": f"{latest:04d}-12-31T23:59:59Z",
        }
        if obj.date_display:
            timespan["identified_by"] = [{"type": "Name", "content": obj.date_display}]
        activity["timespan"] = timespan
    return activity if len(activity) > 1 else None


def object_linked_data(*, obj: CollectionObject, profile: str, absolute: Absolute) -> dict:
    if profile == LINKED_ART:
        return object_linked_art(obj=obj, absolute=absolute)
    return object_schema_org(obj=obj, absolute=absolute)
