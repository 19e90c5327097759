"""Every derivative the site serves, defined once.

The worker (images/processing.py) pre-generates exactly these files and the
template tags (images/templatetags/archive_images.py) look up exactly these.
Each derivative's `filter_spec` is a genuine Wagtail filter spec, so the rows
the worker writes are ordinary `ArchiveRendition`s: `image.get_rendition(spec)`
finds them, and Wagtail could regenerate any of them itself if ever needed.
"""

from dataclasses import dataclass

from django.conf import settings
from PIL import features

# Best first: a <picture> offers sources in this order and browsers take the
# first they support; JPEG is the universal fallback inside <img>.
PICTURE_FORMATS = ("avif", "webp", "jpeg")
FALLBACK_FORMAT = "jpeg"
QUALITY = {"avif": 60, "webp": 78, "jpeg": 82}
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg"}


@dataclass(frozen=True)
class Derivative:
    """One file: an image fitted in (or, with `crop`, filling) a box, in one format."""

    usage: str
    width: int
    height: int
    format: str
    crop: bool = False
    # Wagtail's admin asks for bare size specs ("max-165x165"); the format is ours.
    bare_spec: bool = False

    @property
    def quality(self) -> int:
        return QUALITY[self.format]

    @property
    def filter_spec(self) -> str:
        size = f"{'fill' if self.crop else 'max'}-{self.width}x{self.height}"
        if self.bare_spec:
            return size
        return f"{size}|format-{self.format}|{self.format}quality-{self.quality}"


@dataclass(frozen=True)
class Usage:
    """Where an image appears on the public site, and how it is offered there."""

    name: str
    widths: tuple[int, ...]
    # Box height as a multiple of its width: tall posters are limited by height.
    box_ratio: float
    sizes: str
    lazy: bool = True

    def box(self, width: int) -> tuple[int, int]:
        return width, round(width * self.box_ratio)


USAGES = {
    usage.name: usage
    for usage in (
        Usage("thumbnail", widths=(160, 320), box_ratio=1.0, sizes="160px"),
        Usage(
            "listing",
            widths=(320, 480, 640, 960),
            box_ratio=1.25,
            sizes="(min-width: 64em) 22vw, (min-width: 40em) 30vw, 45vw",
        ),
        Usage(
            "detail",
            widths=(640, 1024, 1600, 2048),
            box_ratio=1.0,
            sizes="(min-width: 64em) 60vw, 100vw",
            lazy=False,
        ),
    )
}

# The 1200x630 picture shown when a page is shared (Open Graph, Twitter cards).
SOCIAL = Derivative("social", 1200, 630, "jpeg", crop=True)

# Wagtail's own admin shows images at these specs; pre-generating them keeps the
# image listing from decoding 100 MB scans on the request path.
ADMIN = (
    Derivative("admin", 165, 165, "webp", bare_spec=True),
    Derivative("admin", 800, 600, "webp", bare_spec=True),
)


def picture_formats() -> tuple[str, ...]:
    """The formats offered in <picture>, AVIF only when this Pillow can write it."""
    avif = settings.IMAGES_AVIF_ENABLED and features.check("avif")
    return tuple(fmt for fmt in PICTURE_FORMATS if fmt != "avif" or avif)


def usage_derivatives(usage_name: str) -> list[Derivative]:
    usage = USAGES[usage_name]
    return [
        Derivative(usage.name, *usage.box(width), fmt)
        for width in usage.widths
        for fmt in picture_formats()
    ]


def all_derivatives() -> list[Derivative]:
    """Everything the worker generates for one image."""
    derivatives = [d for name in USAGES for d in usage_derivatives(name)]
    return derivatives + [SOCIAL, *ADMIN]
