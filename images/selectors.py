"""Reads for archive images: the renditions a page needs, statuses, duplicates."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from .models import ArchiveImage, ArchiveRendition
from .processing import hamming_distance
from .renditions import SOCIAL, usage_derivatives

# Scans this close (of 64 bits) are almost always the same picture.
DUPLICATE_MAX_DISTANCE = 6


def picture_filter_specs(*, usages: tuple[str, ...], social: bool = False) -> list[str]:
    specs = [d.filter_spec for usage in usages for d in usage_derivatives(usage)]
    return specs + [SOCIAL.filter_spec] if social else specs


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
