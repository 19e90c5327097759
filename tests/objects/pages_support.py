"""Shared builders for the public-page tests: objects whose images are really
processed, so pages render real <picture> elements from prefetched renditions."""

from images.services import archive_image_process
from tests.factories.images import ArchiveImageFactory
from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory


def ready_image(**kwargs):
    """An ArchiveImage processed by the image pipeline (small, so it is quick)."""
    kwargs.setdefault("file__width", 80)
    kwargs.setdefault("file__height", 100)
    image = ArchiveImageFactory(**kwargs)
    return archive_image_process(image_id=image.pk)


def object_with_image(*, alt_text="A red poster with black lettering", **kwargs):
    obj = CollectionObjectFactory(**kwargs)
    ObjectImageFactory(object=obj, image=ready_image(), alt_text=alt_text)
    return obj
