"""Reads for archive images: the renditions a page needs, statuses, duplicates."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from .models import ArchiveImage, ArchiveRendition
from .processing import hamming_distance
from .renditions import SOCIAL, usage_derivatives

# Scans this close (of 64 bits) are almost always the same picture.
DUPLICATE_MAX_DISTANCE = 6


def picture_filter_specs(*, usages: tuple[str, ...], social: bool = False) -> list[str]:
    specs = [d.filter_spec for usage in usages for d in usage_derivatives(usage)]
    return specs + [SOCIAL.filter_spec] if social else specs


RENDITION_FIELDS = ("id", "filter_spec", "file", "width", "height", "focal_point_key")


def renditions_json(image_id_column: str, specs: list[str]) -> RawSQL:
    """The renditions among `specs` of the image whose id is in `image_id_column`
    (a table's column, as "table"."column" in the query it is annotated on), as one
    JSON array of rows, each the RENDITION_FIELDS in order: the renditions in the
    row that shows the image (PostgreSQL). Read back with renditions_from_json.
    Written as SQL: built from expressions, it took longer to compile than the
    query it saves."""
    sql = (
        f"(SELECT coalesce(json_agg(json_build_array({', '.join(RENDITION_FIELDS)}) ORDER BY id),"  # noqa: S608  (fixed names; the specs are a parameter)
        f" '[]') FROM {ArchiveRendition._meta.db_table}"
        f" WHERE image_id = {image_id_column} AND filter_spec = ANY(%s))"
    )
    return RawSQL(sql, [specs])  # noqa: S611  (fixed SQL)


def renditions_from_json(image: ArchiveImage, rows: list[list], built: dict[int, list]) -> None:
    """`image`'s renditions built from renditions_json's rows, where Wagtail's
    find_existing_renditions looks first (`prefetched_renditions`, as a Prefetch to
    that attribute leaves them); built once per image in `built`, however many rows
    show it."""
    if image.pk not in built:
        names = [*RENDITION_FIELDS, "image_id"]
        built[image.pk] = [
            ArchiveRendition.from_db(image._state.db, names, [*row, image.pk]) for row in rows
        ]
        for rendition in built[image.pk]:
            rendition.image = image
    image.prefetched_renditions = built[image.pk]


def picture_renditions_prefetch(
    *, lookup: str = "renditions", usages: tuple[str, ...], social: bool = False
) -> Prefetch:
    """A Prefetch that loads the renditions `{% picture %}` needs in one query.

    `lookup` is the path to the renditions from the queryset being listed, e.g.
    `"image__renditions"` for ObjectImage or `"renditions"` for ArchiveImage:

        ObjectImage.objects.select_related("image").prefetch_related(
            picture_renditions_prefetch(lookup="image__renditions", usages=("listing",)))
    """
    specs = picture_filter_specs(usages=usages, social=social)
    return Prefetch(lookup, queryset=ArchiveRendition.objects.filter(filter_spec__in=specs))


def archive_image_status_counts(*, queryset: QuerySet | None = None) -> dict[str, int]:
    queryset = ArchiveImage.objects.all() if queryset is None else queryset
    rows = queryset.order_by().values("processing_status").annotate(count=Count("pk"))
    counts = {row["processing_status"]: row["count"] for row in rows}
    return {status: counts.get(status, 0) for status in ArchiveImage.ProcessingStatus.values}


@dataclass(frozen=True)
class LikelyDuplicate:
    image: ArchiveImage
    distance: int


def archive_image_likely_duplicates(*, image: ArchiveImage) -> list[LikelyDuplicate]:
    """Other images whose perceptual hash is within a few bits of this one's."""
    if not image.perceptual_hash:
        return []
    candidates = (
        ArchiveImage.objects.exclude(pk=image.pk)
        .exclude(perceptual_hash="")
        .values_list("pk", "perceptual_hash")
    )
    close = {
        pk: distance
        for pk, phash in candidates.iterator(chunk_size=5000)
        if (distance := hamming_distance(image.perceptual_hash, phash)) <= DUPLICATE_MAX_DISTANCE
    }
    found = ArchiveImage.objects.filter(pk__in=close).order_by("pk")
    return sorted(
        (LikelyDuplicate(other, close[other.pk]) for other in found), key=lambda d: d.distance
    )
