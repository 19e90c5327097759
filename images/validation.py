"""Deciding whether a file is an image we will accept, cheaply and safely.

The bytes decide the type, never the name or the browser's content type. Size
and pixel limits are checked from the header, before anything is decoded, so a
decompression bomb costs a few kilobytes of reading. JPEGs are then decoded at
1/8 scale (cheap) and PNGs checksummed, which catches truncated uploads at the
door; anything subtler is caught by the worker, which marks the image failed.
"""

import warnings
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ACCEPTED_TEXT = "Upload a JPEG, PNG, TIFF, WebP, AVIF or GIF image."

# Pillow format name for each accepted type, recognised by its first bytes.
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# Common impostors, named so the message tells staff what they actually uploaded.
_IMPOSTORS = (
    (b"<svg", "an SVG drawing"),
    (b"<?xml", "an XML or SVG document"),
    (b"<!doctype html", "a web page (HTML)"),
    (b"<html", "a web page (HTML)"),
    (b"%pdf", "a PDF document"),
    (b"pk\x03\x04", "a ZIP archive or Office document"),
)


@dataclass(frozen=True)
class ImageHeader:
    format: str  # Pillow's name: "JPEG", "PNG", "TIFF", "WEBP", "AVIF", "GIF"
    width: int
    height: int
    mode: str


def sniff_format(head: bytes) -> str | None:
    """The Pillow format name of an accepted image type, from its first 32 bytes."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "AVIF"
    return None


def _describe_impostor(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for signature, description in _IMPOSTORS:
        if text.startswith(signature):
            return description
    return "not an image file we can read"


def validate_image_file(fileobj: BinaryIO) -> ImageHeader:
    """Check an uploaded or imported file; raise ValidationError saying what is wrong.

    Reads the file from its current position and leaves it rewound to the start.
    """
    max_bytes = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    max_pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    try:
        if size == 0:
            raise ValidationError("The file is empty.", code="empty")
        if size > max_bytes:
            raise ValidationError(
                f"The file is too big ({filesizeformat(size)}); "
                f"the limit is {filesizeformat(max_bytes)}.",
                code="file_too_large",
            )
        head = fileobj.read(32)
        fileobj.seek(0)
        image_format = sniff_format(head)
        if image_format is None:
            raise ValidationError(
                f"This file is {_describe_impostor(head)}, whatever its name says. {ACCEPTED_TEXT}",
                code="not_an_image",
            )
        header = _read_header(fileobj, image_format, max_pixels)
        _check_integrity(fileobj, image_format)
        return header
    finally:
        fileobj.seek(0)


def _read_header(fileobj: BinaryIO, image_format: str, max_pixels: int) -> ImageHeader:
    try:
        # Image.open reads only the header; nothing is decoded yet. Pillow's own
        # warning is redundant: the limit is enforced just below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fileobj, formats=[image_format]) as image:
                width, height = image.size
                header = ImageHeader(image_format, width, height, image.mode)
    except Image.DecompressionBombError:
        raise _too_many_pixels(None, max_pixels)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            f"This {image_format} file is damaged and cannot be read ({error}).",
            code="corrupt",
        )
    if width * height > max_pixels:
        raise _too_many_pixels(width * height, max_pixels)
    if width < 1 or height < 1:
        raise ValidationError("The image has no pixels.", code="corrupt")
    return header


def _check_integrity(fileobj: BinaryIO, image_format: str) -> None:
    fileobj.seek(0)
    try:
        with Image.open(fileobj, formats=[image_format]) as image:
            if image_format == "JPEG":
                # DCT scaling decodes every block at 1/8 size: truncation shows, cheaply.
                image.draft(image.mode, (image.width // 8, image.height // 8))
                image.load()
            elif image_format == "PNG":
                image.verify()
    except (OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            f"This {image_format} file is truncated or damaged ({error}). "
            "Export or scan it again and re-upload.",
            code="corrupt",
        )


def _too_many_pixels(pixels: int | None, max_pixels: int) -> ValidationError:
    found = f"{pixels / 1e6:.0f} megapixels" if pixels else "far too many pixels"
    return ValidationError(
        f"The image has {found}; the limit is {max_pixels / 1e6:.0f} megapixels. "
        "Save a smaller version and upload that.",
        code="file_too_many_pixels",
    )
