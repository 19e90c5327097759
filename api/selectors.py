"""Public reads for the open-data API, IIIF and bulk downloads.

Only published (`live`) objects are ever returned, and only the people,
productions, subjects and places that at least one of them is catalogued
against: a name that appears only on a draft is not public yet.

Lists page by primary key (see api/cursors.py) and load a page in a fixed
number of queries whatever its length. Objects come as their public records
(objects/public_record.py: the rows, then one query each for makers, subjects,
places, images and their sizes), which api/object_records.py shapes; IIIF and
linked data read model instances (with_public_relations).
"""

from dataclasses import dataclass
from functools import partial

from django.db.models import Prefetch, QuerySet

from calls.selectors import calls_public
from foundation.view_restrictions import public_pages
from images.deep_zoom import zoomable_pyramid
from images.models import ArchiveImage, ArchiveRendition
from memories.models import Licence
from memories.selectors import memories_public
from objects.image_warnings import content_warning_exists
from objects.models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Place,
    Production,
    Subject,
)
from objects.public_record import PublicRecord, public_records, public_size_specs
from objects.selectors import has_image_condition, in_decade, live_objects, public_terms
from stories.models import StoryPage


@dataclass(frozen=True)
class ObjectFilters:
    """The site's browse filters, already validated (api/schemas.py)."""

    object_type: str | None = None
    decade: int | None = None
    production: str | None = None  # slug
    maker: str | None = None  # slug
    subject: str | None = None  # slug
    place: str | None = None  # slug
    has_image: bool | None = None


@dataclass(frozen=True)
class Page:
    items: list
    next_after: int | None  # primary key to continue after, or None on the last page


def public_renditions_prefetch(lookup: str) -> Prefetch:
    """The derivatives a IIIF client may ask for as whole-image sizes."""
    return Prefetch(
        lookup, queryset=ArchiveRendition.objects.filter(filter_spec__in=public_size_specs())
    )


def object_images_prefetch() -> Prefetch:
    """Images of objects, in order, with their public JPEG derivatives (two queries),
    and whether each is behind a content warning (which holds back deep zoom)."""
    images = (
        ObjectImage.objects.select_related("image")
        .annotate(behind_content_warning=content_warning_exists("image"))
        .prefetch_related(public_renditions_prefetch("image__renditions"))
        .order_by("sort_order", "pk")
    )
    return Prefetch("object_images", queryset=images)


def object_makers_prefetch() -> Prefetch:
    makers = ObjectMaker.objects.select_related("maker").order_by("sort_order", "pk")
    return Prefetch("object_makers", queryset=makers)


def with_public_relations(objects: QuerySet[CollectionObject]) -> QuerySet[CollectionObject]:
    """Load what an object's IIIF manifest and linked data show."""
    return objects.select_related("production", "object_type").prefetch_related(
        object_makers_prefetch(), object_images_prefetch(), "subjects", "places"
    )


def filtered_live_objects(*, filters: ObjectFilters) -> QuerySet[CollectionObject]:
    """Live objects matching `filters`. Unknown slugs match nothing."""
    objects = live_objects()
    if filters.object_type:
        objects = objects.filter(object_type__slug=filters.object_type)
    if filters.decade is not None:
        objects = objects.filter(in_decade(filters.decade))
    if filters.production:
        objects = objects.filter(production__slug=filters.production)
    if filters.maker:
        made = ObjectMaker.objects.filter(maker__slug=filters.maker).values("object_id")
        objects = objects.filter(pk__in=made)
    if filters.subject:
        objects = objects.filter(subjects__slug=filters.subject)
    if filters.place:
        objects = objects.filter(places__slug=filters.place)
    if filters.has_image is not None:
        condition = has_image_condition()
        objects = objects.filter(condition if filters.has_image else ~condition)
    return objects


def _keyset_page(queryset: QuerySet, *, after: int | None, size: int, load=list) -> Page:
    """A page of `queryset` after the primary key `after`; `load` turns the page's
    slice into its items (each with a `pk`): model instances by default."""
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    # One row more than asked for tells whether another page follows.
    rows = load(queryset.order_by("pk")[: size + 1])
    items = rows[:size]
    next_after = items[-1].pk if len(rows) > size else None
    return Page(items=items, next_after=next_after)


def object_page(*, filters: ObjectFilters, after: int | None, size: int) -> Page:
    """A page of public records, as lists show them (no subjects or places)."""
    return _keyset_page(
        filtered_live_objects(filters=filters),
        after=after,
        size=size,
        load=partial(public_records, subjects_and_places=False),
    )


def object_record_public(*, slug: str) -> PublicRecord | None:
    return next(iter(public_records(live_objects().filter(slug=slug))), None)


def object_get_public(*, slug: str) -> CollectionObject | None:
    return with_public_relations(live_objects().filter(slug=slug)).first()


PUBLIC_TERMS = {
    "types": partial(public_terms, ObjectType),
    "makers": partial(public_terms, Maker),
    "productions": partial(public_terms, Production),
    "subjects": partial(public_terms, Subject),
    "places": partial(public_terms, Place),
}


def term_page(*, kind: str, after: int | None, size: int) -> Page:
    return _keyset_page(PUBLIC_TERMS[kind](), after=after, size=size)


def term_get_public(*, kind: str, slug: str):
    return PUBLIC_TERMS[kind]().filter(slug=slug).first()


def story_page(*, after: int | None, size: int) -> Page:
    """Published stories anyone may read (not behind a privacy restriction)."""
    stories = public_pages(StoryPage.objects.live()).prefetch_related("authors", "themes")
    return _keyset_page(stories, after=after, size=size)


def story_get_public(*, slug: str):
    return (
        public_pages(StoryPage.objects.live())
        .prefetch_related("authors", "themes")
        .filter(slug=slug)
    ).first()


def open_memories() -> QuerySet:
    """Approved memories whose contributors chose an open licence: the only ones
    that may leave the site. (Memories for this site only are never shared.)"""
    return memories_public().filter(licence=Licence.CC_BY).select_related("object__object_type")


def memory_page(*, after: int | None, size: int) -> Page:
    return _keyset_page(open_memories(), after=after, size=size)


def call_page(*, after: int | None, size: int) -> Page:
    return _keyset_page(calls_public(), after=after, size=size)


def memory_get_open(*, public_id) -> object | None:
    return open_memories().filter(public_id=public_id).first()


def public_image_renditions(*, image_id: int) -> list[ArchiveRendition]:
    """The public JPEG derivatives of an image shown on a live object (else [])."""
    if not ObjectImage.objects.filter(image_id=image_id, object__live=True).exists():
        return []
    return list(
        ArchiveRendition.objects.filter(
            image_id=image_id,
            image__processing_status="ready",
            filter_spec__in=public_size_specs(),
        )
    )


def public_image_pyramid(*, image_id: int) -> dict | None:
    """The tile pyramid clients may zoom into, for an image public_image_renditions
    found public (else nothing to say): one query."""
    image = (
        ArchiveImage.objects.filter(pk=image_id)
        .annotate(behind_content_warning=content_warning_exists("pk"))
        .only("tile_pyramid", "file_hash", "deep_zoom_confirmed")
        .first()
    )
    if image is None:
        return None
    return zoomable_pyramid(image, behind_warning=image.behind_content_warning)
