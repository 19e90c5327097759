"""Which images are not the archive's public scans, and whether one is public now.

Apps above images file images of their own (memories: a contributor's photo, public
only while its memory is approved). Each registers in its AppConfig.ready() a
function of the image that returns None when the image is not one of theirs, else
whether it may be shown to anyone now. The media view (images/views.py) asks them.
"""

from collections.abc import Callable

from .models import ArchiveImage

RESTRICTED_IMAGES: list[Callable[[ArchiveImage], bool | None]] = []


def restricted_image_public(image: ArchiveImage) -> bool | None:
    """None for a public scan; for an app's own image, whether it is public now."""
    for check in RESTRICTED_IMAGES:
        if (public := check(image)) is not None:
            return public
    return None
