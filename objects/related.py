"""What the object page reads beside the object: its images, and the live objects of
its production and by its makers.

Everything is reached through the object in hand (its class, its relations' models),
never by naming the models: CollectionObject's preview builds the object page
(objects/models.py imports objects/presentation.py, which calls these), so nothing
here imports objects.models. objects/selectors.py names the models and builds its
own reads on the same rules (`live`, `images_prefetch_from`, `DATE_ORDER`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.query import ModelIterable

from foundation.compiled_queries import compiled_once
from foundation.prefetched import prefetched
from images.selectors import (
    picture_filter_specs,
    picture_renditions_prefetch,
    renditions_from_json,
    renditions_json,
)

if TYPE_CHECKING:
    from .models import CollectionObject

RELATED_LIMIT = 6
# What an object card shows (objects/includes/object_card.html) and what the
# related lists sort on: a card needs a third of the object's columns.
CARD_COLUMNS = (
    "slug",
    "title",
    "date_display",
    "date_earliest",
    "content_warning",
    "is_sample_content",
    "has_image",
    "production",
    "object_type__name",
    "object_type__slug",
)
# Undated objects last, then by id: the archive's default order ("date").
DATE_ORDER = (F("date_earliest").asc(nulls_last=True), "id")


def live(objects: QuerySet[CollectionObject]) -> QuerySet[CollectionObject]:
    """Only published objects, with their type: all the public ever sees."""
    return objects.filter(live=True).select_related("object_type")


def images_prefetch_from(images: QuerySet, *, usages: tuple[str, ...], social: bool) -> Prefetch:
    """`images` (ObjectImage rows) with their image rows and the renditions
    `{% picture %}` needs for `usages`, as the `object_images` prefetch, for any
    number of objects: one query on PostgreSQL (each image's renditions come in its
    row as JSON), two elsewhere."""
    images = images.select_related("image").order_by("sort_order", "pk")
    if connection.vendor != "postgresql":
        renditions = picture_renditions_prefetch(
            lookup="image__renditions", usages=usages, social=social
        )
        return Prefetch("object_images", queryset=images.prefetch_related(renditions))
    specs = picture_filter_specs(usages=usages, social=social)
    column = f"{images.model._meta.db_table}.image_id"
    images = images.annotate(renditions_json=renditions_json(column, specs))
    # The rows build their renditions as they are read, however the queryset is
    # cloned or prefetched (a clone keeps its iterable class).
    images._iterable_class = _WithRenditionsFromJSON
    return Prefetch("object_images", queryset=images)


class _WithRenditionsFromJSON(ModelIterable):
    """ObjectImage rows whose image gets its renditions from `renditions_json`."""

    def __iter__(self):
        built: dict[int, list] = {}
        for object_image in super().__iter__():
            renditions_from_json(object_image.image, object_image.renditions_json, built)
            yield object_image


def with_images(objects: list[CollectionObject]) -> list[CollectionObject]:
    """Those of `objects` that have images, to prefetch them for. The others get an
    empty `object_images`, as prefetch_related leaves it, so none of them asks:
    `has_image` is kept by database triggers (objects migration 0013). A preview's
    images in memory (modelcluster) still come first."""
    shown = []
    for obj in objects:
        if obj.has_image:
            shown.append(obj)
            continue
        prefetched(obj, "object_images", obj.object_images.model, [])
    return shown


def load_images(
    objects: list[CollectionObject], *, usages: tuple[str, ...], social: bool = False
) -> None:
    """The images of those of `objects` that have any and have not loaded them yet,
    with the renditions `{% picture %}` needs for `usages`: one query for any number
    of objects (compiled once per process), none when no object needs one. Fills
    `object_images` as images_prefetch_from's prefetch would."""
    unloaded = [
        obj
        for obj in objects
        if "object_images" not in getattr(obj, "_prefetched_objects_cache", {})
    ]
    shown = with_images(unloaded)
    if not shown:
        return
    model = shown[0].object_images.model

    def images_of(object_ids: list[int]) -> QuerySet:
        images = images_prefetch_from(model._default_manager.all(), usages=usages, social=social)
        return images.queryset.filter(object_id__any=object_ids)

    by_pk = {obj.pk: obj for obj in shown}
    images = {pk: [] for pk in by_pk}
    owner = model._meta.get_field("object")
    for row in compiled_once(("objects:images", usages, social), images_of, list(by_pk)):
        owner.set_cached_value(row, by_pk[row.object_id])
        images[row.object_id].append(row)
    for obj in shown:
        prefetched(obj, "object_images", model, images[obj.pk])


def card_shows(obj: CollectionObject) -> tuple[str, ...]:
    """The tags of what an object's card or search hit shows, from the instances
    already loaded: the object (title, date, warning, its images' order and alt text),
    its type's name, and its first image's renditions (foundation/fragment_cache.py)."""
    image = obj.primary_image
    return (
        f"object:{obj.pk}",
        f"objecttype:{obj.object_type_id}",
        *([f"image:{image.image_id}"] if image is not None else []),
    )


def object_related(*, obj: CollectionObject, maker_ids: list[int]) -> dict[str, list]:
    """Up to RELATED_LIMIT live objects from the same production and by the same makers."""
    if connection.features.supports_slicing_ordering_in_compound:
        return _related_in_one_query(obj=obj, maker_ids=maker_ids)
    objects = live(type(obj)._default_manager.all())
    links = obj.object_makers.model._default_manager.filter(maker_id__in=maker_ids)
    same_production = []
    if obj.production_id:
        same_production = list(
            objects.filter(production=obj.production_id)
            .exclude(pk=obj.pk)
            .order_by(*DATE_ORDER)[:RELATED_LIMIT]
        )
    same_maker = []
    if maker_ids:
        shown = [o.pk for o in same_production] + [obj.pk]
        same_maker = _by_makers_near(
            obj=obj, objects=objects, links=links.exclude(object_id__in=shown)
        )
    return {"same_production": same_production, "same_maker": same_maker}


def _date_order(other: CollectionObject) -> tuple:
    # DATE_ORDER in Python: undated last, then by id.
    return (other.date_earliest is None, other.date_earliest or 0, other.pk)


def _related_in_one_query(*, obj, maker_ids) -> dict[str, list]:
    """Both lists from one query: the production's first objects by date, and the
    makers' objects catalogued nearest on either side, enough of them (twice the
    limit) that the nearest are still there once those shown from the production
    are set aside. The same lists as two queries gave, each an index walk. The
    query is compiled once per process for each of its shapes."""
    by_production, by_makers = bool(obj.production_id), bool(maker_ids)
    if not by_production and not by_makers:
        return {"same_production": [], "same_maker": []}
    model, link_model = type(obj), obj.object_makers.model

    def candidates_near(pk: int, *given) -> QuerySet:
        objects = live(model._default_manager.all())
        given = list(given)
        parts = []
        if by_production:
            production = objects.filter(production=given.pop(0)).exclude(pk=pk)
            parts.append(production.order_by(*DATE_ORDER).values("pk")[:RELATED_LIMIT])
        if by_makers:
            links = link_model._default_manager.filter(maker_id__any=given.pop(0))
            links = links.exclude(object_id=pk).values("object_id")
            window = RELATED_LIMIT * 2
            parts.append(links.filter(object_id__gt=pk).order_by("object_id")[:window])
            parts.append(links.filter(object_id__lt=pk).order_by("-object_id")[:window])
        ids = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return objects.filter(pk__in=ids).only(*CARD_COLUMNS)

    arguments = [
        obj.pk,
        *([obj.production_id] if by_production else []),
        *([maker_ids] if by_makers else []),
    ]
    key = ("objects:related", by_production, by_makers)
    candidates = list(compiled_once(key, candidates_near, *arguments))
    # The production's first objects by date are its part of the query: any other
    # object of the production found by maker sorts after them.
    same_production = sorted(
        (o for o in candidates if obj.production_id and o.production_id == obj.production_id),
        key=_date_order,
    )[:RELATED_LIMIT]
    shown = {o.pk for o in same_production}
    same_maker = (
        sorted(
            (o for o in candidates if o.pk not in shown), key=lambda other: abs(other.pk - obj.pk)
        )[:RELATED_LIMIT]
        if maker_ids
        else []
    )
    return {"same_production": same_production, "same_maker": same_maker}


def _by_makers_near(*, obj, objects, links) -> list[CollectionObject]:
    """Live objects by these makers catalogued nearest to `obj` (databases that cannot
    limit the parts of a UNION, SQLite): walks the (maker, object) index outwards from
    `obj` in both directions, so it stays fast for a prolific maker."""
    links = links.values("object_id")
    after = links.filter(object_id__gt=obj.pk).order_by("object_id")[:RELATED_LIMIT]
    before = links.filter(object_id__lt=obj.pk).order_by("-object_id")[:RELATED_LIMIT]
    nearby = objects.filter(Q(pk__in=after) | Q(pk__in=before))
    return sorted(nearby, key=lambda other: abs(other.pk - obj.pk))[:RELATED_LIMIT]
