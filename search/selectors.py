"""Reads for the search pages."""

from objects.models import CollectionObject
from objects.selectors import images_prefetch


def objects_for_hits(*, ids: list[int]) -> dict[int, CollectionObject]:
    """The hits' objects with their primary image, in a fixed number of
    queries (objects, images, renditions) whatever the page size."""
    objects = (
        CollectionObject.objects.filter(pk__in=ids, live=True)
        .only("pk", "slug", "content_warning", "is_sample_data")
        .prefetch_related(images_prefetch(usages=("listing",)))
    )
    return {obj.pk: obj for obj in objects}
