"""Images behind an object's content warning: their deep-zoom tiles wait for staff
to confirm them, and IIIF offers no zoom until then (images/deep_zoom.py)."""

from django.db.models import Exists, OuterRef

from images.models import ArchiveImage

from .models import ObjectImage


def content_warning_exists(image_ref: str) -> Exists:
    """Whether an object showing the image `image_ref` refers to (published or not)
    has a content warning, as an expression for annotations."""
    warned = ObjectImage.objects.filter(image=OuterRef(image_ref)).exclude(
        object__content_warning=""
    )
    return Exists(warned)


def behind_content_warning(image_id: int) -> bool:
    return ArchiveImage.objects.filter(pk=image_id).filter(content_warning_exists("pk")).exists()


def tiles_held_by_warning(image: ArchiveImage) -> str:
    """A hold of images.deep_zoom.TILE_HOLDS, registered by ObjectsConfig.ready()."""
    if behind_content_warning(image.pk) and not image.deep_zoom_confirmed:
        return "held back by a content warning"
    return ""
