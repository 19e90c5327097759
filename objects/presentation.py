"""The object page's presentation: its citation, its schema.org metadata, the
image it shares, and everything its template shows.

This module decides what the page says about an object, once, for the page, the
preview and the API. CollectionObject's preview calls object_detail_context
(objects/models.py imports this module), so nothing here imports objects.models: the
reads beside the object go through it (objects/related.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.template.loader import render_to_string

from foundation.fragment_cache import cached_fragment
from foundation.sample import shows_sample_content
from foundation.text import plain_text
from images.templatetags.archive_images import social_image_url

from .related import load_images, object_related

if TYPE_CHECKING:
    from .models import CollectionObject, ObjectImage, ObjectMaker

ARCHIVE_NAME = "Battersea Arts Centre Archive"
# Object types (by slug) that schema.org calls VisualArtwork; others are CreativeWork.
VISUAL_ARTWORK_TYPES = {"poster", "painting", "drawing", "print", "photograph", "sculpture"}


def shares_images(obj: CollectionObject) -> bool:
    """Whether the object's images may travel beyond its page (link previews,
    search engines' metadata). Not when staff put a content warning on it:
    the page shows its images only after the visitor chooses to see them."""
    return not obj.content_warning


def object_share_image_url(
    *, obj: CollectionObject, images: list[ObjectImage], request: HttpRequest
) -> str:
    """The absolute URL of the 1200x630 share image, or "" if none may be shared."""
    if not images or not shares_images(obj):
        return ""
    # The tag function reads only the request from its template context.
    return social_image_url({"request": request}, images[0].image)


def collection_name(obj: CollectionObject) -> str:
    """Whose record this is: sample records are not in BAC's archive, so never say so."""
    return "Sample data, BAC Collection website" if obj.is_sample_content else ARCHIVE_NAME


def object_citation(*, obj: CollectionObject, makers: list[ObjectMaker], permalink: str) -> str:
    """A plain-text citation: "Maker. Title. Date. Collection, accession number. URL"."""
    parts = []
    if makers:
        parts.append(", ".join(m.maker.name for m in makers))
    parts.append(obj.title)
    if obj.date_display:
        parts.append(obj.date_display)
    return f"{'. '.join(parts)}. {collection_name(obj)}, {obj.accession_number}. {permalink}"


def object_json_ld(
    *, obj: CollectionObject, makers: list[ObjectMaker], permalink: str, image_url: str
) -> dict:
    """schema.org metadata for the object (rendered with json_script-style escaping).
    `image_url` is left out when the object's images are not to be shared. The
    object's identifier is its page's URL, in every open-data format (docs/open-data.md)."""
    data = {
        "@context": "https://schema.org",
        "@type": "VisualArtwork"
        if obj.object_type.slug in VISUAL_ARTWORK_TYPES
        else "CreativeWork",
        "@id": permalink,
        "name": obj.title,
        "url": permalink,
        "identifier": obj.accession_number,
        "license": obj.rights_uri,
        "isPartOf": {"@type": "Collection", "name": collection_name(obj)},
    }
    description = plain_text(obj.description)
    if description:
        data["description"] = description
    if obj.date_display:
        data["dateCreated"] = obj.date_display
    if makers:
        data["creator"] = [
            {
                "@type": "Organization" if m.maker.kind == "organisation" else "Person",
                "name": m.maker.name,
            }
            for m in makers
        ]
    if obj.materials:
        data["artMedium"] = obj.materials
    if obj.credit_line:
        data["creditText"] = obj.credit_line
    if image_url and shares_images(obj):
        data["image"] = image_url
    return data


def object_detail_context(*, obj: CollectionObject, request: HttpRequest) -> dict:
    """Everything the object page shows.

    Also renders Wagtail's preview of a draft: there `obj` carries the edit form's
    makers and images in memory (modelcluster), which take precedence over the
    database rows prefetched here, so the preview shows the draft as edited.
    """
    makers = list(obj.object_makers.all())
    preview = getattr(request, "is_preview", False)
    related_objects = related_objects_html(obj=obj, makers=makers, preview=preview)
    if obj.pk:
        load_images([obj], usages=("detail",), social=True)
    images = list(obj.object_images.all())
    permalink = request.build_absolute_uri(obj.get_absolute_url()) if obj.slug else ""
    share_image = object_share_image_url(obj=obj, images=images, request=request)
    return {
        "object": obj,
        "makers": makers,
        "images": images,
        "subjects": list(obj.subjects.all()),
        "places": list(obj.places.all()),
        "related_objects": related_objects,
        "permalink": permalink,
        "citation": object_citation(obj=obj, makers=makers, permalink=permalink),
        "json_ld": object_json_ld(
            obj=obj, makers=makers, permalink=permalink, image_url=share_image
        ),
        "social_image_url": share_image,
        "shows_sample_data": shows_sample_content([obj]),
    }


def related_objects_html(*, obj: CollectionObject, makers: list[ObjectMaker], preview: bool) -> str:
    """The page's "More from this production" and "More by" sections. Kept as a
    fragment until the object, its production's or makers' lists, their names or a
    card's object changes; a preview (the draft's production and makers) renders them."""

    def render() -> str:
        related = object_related(obj=obj, maker_ids=[m.maker_id for m in makers])
        # The object's own images in the same query as the cards': one query, not two,
        # when the page renders these (object_detail_context then has them).
        shown = [o for o in (obj, *related["same_production"], *related["same_maker"]) if o.pk]
        load_images(shown, usages=("detail", "listing"), social=True)
        context = {"object": obj, "makers": makers, "related": related}
        return render_to_string("objects/includes/related_objects.html", context)

    if preview or not obj.pk:
        return render()
    production = [obj.production_id] if obj.production_id else []
    return cached_fragment(
        f"objects:related:{obj.pk}",
        render,
        shows=[
            f"object:{obj.pk}",
            *(f"objects:production:{pk}" for pk in production),
            *(f"production:{pk}" for pk in production),
            *(f"objects:maker:{m.maker_id}" for m in makers),
            *(f"maker:{m.maker_id}" for m in makers),
        ],
    )
