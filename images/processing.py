"""Turning one original into every public derivative, with Pillow alone.

Pure functions: no models, no storage. The speed comes from decoding once, and
for JPEGs from `draft()`: libjpeg's DCT scaling decodes straight to 1/2, 1/4 or
1/8 size, so a 24-megapixel photo whose largest derivative is 2048 px wide is
never expanded to full size. Wagtail's renditions decode in full for each spec,
which is why the worker generates the files itself (images/services.py).

Every derivative is oriented upright (EXIF), converted to 8-bit sRGB, and
written with no metadata at all: no EXIF, GPS, XMP or embedded profile.
"""

import base64
import io
import math
from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageOps

from .renditions import EXTENSIONS, Derivative
from .validation import validate_image_file

ORIENTATION_TAG = 0x0112
# Orientations 5-8 store the picture on its side: width and height swap.
SIDEWAYS_ORIENTATIONS = {5, 6, 7, 8}
PLACEHOLDER_SIZE = 16
RESAMPLE = Image.Resampling.LANCZOS
# Resize in two steps (fast box reduction, then Lanczos) when shrinking a lot:
# visually identical, several times faster on big images.
REDUCING_GAP = 3.0
SRGB_PROFILE = ImageCms.createProfile("sRGB")
# libavif's fastest AV1 setting: 4x quicker than speed 8 for files ~3% larger.
AVIF_SPEED = 9


class UnreadableImage(Exception):
    """The file cannot be made into derivatives; the message is for staff."""


@dataclass(frozen=True)
class EncodedDerivative:
    derivative: Derivative
    data: bytes
    width: int
    height: int

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.derivative.format, self.derivative.format)


@dataclass(frozen=True)
class ProcessedImage:
    derivatives: list[EncodedDerivative]
    dominant_colour: str
    placeholder: str
    perceptual_hash: str


def process_image(
    source: BinaryIO,
    derivatives: list[Derivative],
    *,
    focal_centre: tuple[float, float] | None = None,
) -> ProcessedImage:
    """Decode `source` once and encode every derivative from it.

    `focal_centre` is the point (as fractions of width and height) that crops
    keep in view. Raises UnreadableImage with a readable reason.
    """
    try:
        header = validate_image_file(source)
    except ValidationError as error:  # already worded for staff
        raise UnreadableImage(" ".join(error.messages)) from error
    try:
        base = decode_upright_srgb(source, header.format, fraction=_largest_fraction(derivatives))
        encoded = _encode_all(base, derivatives, focal_centre)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise UnreadableImage(
            f"The image could not be decoded; it may be truncated or damaged ({error})."
        ) from error
    return ProcessedImage(
        derivatives=encoded,
        dominant_colour=dominant_colour(base),
        placeholder=placeholder_data_uri(base),
        perceptual_hash=perceptual_hash(base),
    )


def decode_upright_srgb(
    source: BinaryIO, image_format: str, *, fraction=lambda width, height: 1.0
) -> Image.Image:
    """The image upright, in 8-bit sRGB, decoded at no less than `fraction` (given
    the upright width and height) of its full size. The tile pyramid
    (images/tiles.py) decodes at full size."""
    # Only the decoder for the type the bytes were sniffed as may run.
    image = Image.open(source, formats=[image_format])
    orientation = image.getexif().get(ORIENTATION_TAG, 1)
    width, height = image.size
    if orientation in SIDEWAYS_ORIENTATIONS:
        width, height = height, width
    scale = fraction(width, height)
    # draft() only acts on JPEGs; it keeps the decoded size >= the request.
    image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image.load()
    image = ImageOps.exif_transpose(image)
    return to_srgb_8bit(image)


def _largest_fraction(derivatives: list[Derivative]):
    return lambda width, height: max(_fraction_needed(d, width, height) for d in derivatives)


def _fraction_needed(derivative: Derivative, width: int, height: int) -> float:
    """How much of the original's resolution this derivative needs (at most 1)."""
    if derivative.crop:
        scale = max(derivative.width / width, derivative.height / height)
    else:
        scale = min(derivative.width / width, derivative.height / height)
    return min(1.0, scale)


def to_srgb_8bit(image: Image.Image) -> Image.Image:
    """8-bit RGB or RGBA in sRGB, whatever came in (CMYK, 16-bit, palette, ICC)."""
    icc_profile = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        # Scanners store 8, 12 or 14-bit samples in 16-bit files: scale by the
        # depth actually used (from the brightest sample), rather than clip at 255
        # or darken 12-bit data to near black.
        depth = max(8, image.getextrema()[1].bit_length())
        scale = 255 / (2**depth - 1)
        image = image.convert("I").point(lambda value: value * scale).convert("L")
    elif image.mode in ("I", "F"):
        low, high = image.getextrema()
        spread = (high - low) or 1
        image = image.point(lambda value: (value - low) * (255 / spread)).convert("L")
    target_mode = "RGBA" if has_alpha else "RGB"
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            image = ImageCms.profileToProfile(
                image, source_profile, SRGB_PROFILE, outputMode=target_mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall through to a plain conversion
    if image.mode != target_mode:
        image = image.convert(target_mode)
    # Nothing from the original file travels on: no EXIF, GPS, XMP, comments.
    image.info = {}
    return image


def _encode_all(
    base: Image.Image,
    derivatives: list[Derivative],
    focal_centre: tuple[float, float] | None,
) -> list[EncodedDerivative]:
    resized: dict[tuple[int, int, bool], Image.Image] = {}
    # A small original fits every box unchanged: encode it once per format.
    data_by_image_and_format: dict[tuple[int, str], bytes] = {}
    encoded = []
    # Largest first, so smaller sizes can be cut from an already-reduced copy.
    for derivative in sorted(derivatives, key=lambda d: -d.width * d.height):
        key = (derivative.width, derivative.height, derivative.crop)
        if key not in resized:
            resized[key] = _resize(base, derivative, focal_centre, resized.values())
        image = resized[key]
        data_key = (id(image), derivative.format)
        if data_key not in data_by_image_and_format:
            data_by_image_and_format[data_key] = encode(image, derivative)
        encoded.append(
            EncodedDerivative(
                derivative, data_by_image_and_format[data_key], image.width, image.height
            )
        )
    return encoded


def _resize(base, derivative, focal_centre, already_resized) -> Image.Image:
    if derivative.crop:
        return _fill(base, derivative.width, derivative.height, focal_centre)
    scale = min(1.0, derivative.width / base.width, derivative.height / base.height)
    size = (max(1, round(base.width * scale)), max(1, round(base.height * scale)))
    if size == base.size:
        return base
    # Resampling from a copy at least twice the target looks the same as from the base.
    larger = [im for im in already_resized if im.width >= 2 * size[0] and im.height >= 2 * size[1]]
    source = min(larger, key=lambda im: im.width, default=base)
    return source.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)


def _fill(base, width, height, focal_centre) -> Image.Image:
    """Crop to the box's shape around the focal centre, then shrink (never enlarge)."""
    aspect = width / height
    crop_width = min(base.width, base.height * aspect)
    crop_height = crop_width / aspect
    fx, fy = focal_centre or (0.5, 0.5)
    left = min(max(fx * base.width - crop_width / 2, 0), base.width - crop_width)
    top = min(max(fy * base.height - crop_height / 2, 0), base.height - crop_height)
    box = (round(left), round(top), round(left + crop_width), round(top + crop_height))
    cropped = base.crop(box)
    if cropped.width <= width:
        return cropped
    return cropped.resize((width, height), RESAMPLE, reducing_gap=REDUCING_GAP)


def encode(image: Image.Image, derivative: Derivative) -> bytes:
    buffer = io.BytesIO()
    if derivative.format == "jpeg":
        if image.mode == "RGBA":
            image = flatten_on_white(image)
        image.save(buffer, "JPEG", quality=derivative.quality, progressive=True)
    elif derivative.format == "webp":
        image.save(buffer, "WEBP", quality=derivative.quality, method=4)
    elif derivative.format == "avif":
        image.save(buffer, "AVIF", quality=derivative.quality, speed=AVIF_SPEED)
    else:
        raise ValueError(f"No encoder for {derivative.format!r}")
    return buffer.getvalue()


def flatten_on_white(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: what was transparent shows white."""
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def dominant_colour(image: Image.Image) -> str:
    """The commonest of a few representative colours, as #rrggbb."""
    small = image.convert("RGB")
    small.thumbnail((64, 64))
    palette_image = small.quantize(colors=5, method=Image.Quantize.MEDIANCUT)
    count, index = max(palette_image.getcolors())
    red, green, blue = palette_image.getpalette()[index * 3 : index * 3 + 3]
    return f"#{red:02x}{green:02x}{blue:02x}"


def placeholder_data_uri(image: Image.Image) -> str:
    """A ~200-byte blurry preview, inlined in the page while the real image loads."""
    tiny = image.convert("RGB")
    tiny.thumbnail((PLACEHOLDER_SIZE, PLACEHOLDER_SIZE), Image.Resampling.BOX)
    buffer = io.BytesIO()
    tiny.save(buffer, "WEBP", quality=40)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def perceptual_hash(image: Image.Image) -> str:
    """64-bit difference hash (dHash) in hex: near-identical scans share most bits."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.BOX, reducing_gap=2.0)
    pixels = grey.tobytes()  # mode L: one byte per pixel, row by row
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def hamming_distance(first: str, second: str) -> int:
    return bin(int(first, 16) ^ int(second, 16)).count("1")
