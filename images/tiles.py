"""The deep-zoom tile pyramid of one original, with Pillow alone (IIIF Image API 3, level 0).

Pure functions: no models, no storage. A level 0 client (OpenSeadragon, Mirador)
reads `tiles` in info.json and asks for each tile by its canonical Image API URL:
region `x,y,w,h` in full-size pixels, size `w,h`, at one of the listed scale
factors. The pyramid holds exactly those tiles as files, `{s}/{column}_{row}.jpg`
for scale factor s, and `tile_for_request` maps a request back to one.

Each level is the one above halved with a box filter (Pillow's `reduce(2)`,
which rounds up, as the Image API's sizes ceil(w/s) do), so the full-size image
is decoded once and each pixel is read once per level. Pillow, not libvips'
`dzsave`: `manage.py bench_images` times both on a 6000x4000 scan
(docs/open-data.md, "Deep zoom").
"""

import io
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from PIL import Image

from .processing import UnreadableImage, decode_upright_srgb, flatten_on_white
from .validation import validate_image_file

TILE_SIZE = 512
TILE_QUALITY = 82
REGION = re.compile(r"(\d+),(\d+),(\d+),(\d+)", re.ASCII)
SIZE = re.compile(r"(\d*),(\d*)", re.ASCII)


@dataclass(frozen=True)
class Pyramid:
    """What info.json says about a built pyramid."""

    width: int
    height: int
    tile_size: int
    scale_factors: list[int]
    tile_count: int


def scale_factors(width: int, height: int, tile_size: int = TILE_SIZE) -> list[int]:
    """1, 2, 4, ... down to the first level that fits in a single tile."""
    factors = [1]
    while max(math.ceil(width / factors[-1]), math.ceil(height / factors[-1])) > tile_size:
        factors.append(factors[-1] * 2)
    return factors


def tile_name(scale_factor: int, column: int, row: int) -> str:
    return f"{scale_factor}/{column}_{row}.jpg"


def build_pyramid(source: BinaryIO, folder: Path, *, tile_size: int = TILE_SIZE) -> Pyramid:
    """Write every tile of `source` (upright, sRGB, no metadata) under `folder`.

    Raises UnreadableImage with a reason for staff when the file cannot be decoded."""
    try:
        header = validate_image_file(source)
    except ValidationError as error:
        raise UnreadableImage(" ".join(error.messages)) from error
    try:
        level = decode_upright_srgb(source, header.format)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise UnreadableImage(
            f"The image could not be decoded; it may be truncated or damaged ({error})."
        ) from error
    if level.mode == "RGBA":
        level = flatten_on_white(level)
    width, height = level.size
    factors = scale_factors(width, height, tile_size)
    count = 0
    # Writing errors (a full disk) are the storage's, not the image's: they propagate.
    for factor in factors:
        if factor > 1:
            level = level.reduce(2)
        count += _write_level(level, folder / str(factor), tile_size)
    return Pyramid(width, height, tile_size, factors, count)


def _write_level(level: Image.Image, folder: Path, tile_size: int) -> int:
    folder.mkdir(parents=True)
    count = 0
    for top in range(0, level.height, tile_size):
        for left in range(0, level.width, tile_size):
            box = (
                left,
                top,
                min(left + tile_size, level.width),
                min(top + tile_size, level.height),
            )
            buffer = io.BytesIO()
            level.crop(box).save(buffer, "JPEG", quality=TILE_QUALITY)
            name = f"{left // tile_size}_{top // tile_size}.jpg"
            (folder / name).write_bytes(buffer.getvalue())
            count += 1
    return count


def tile_for_request(*, region: str, size: str, pyramid: dict) -> str | None:
    """The tile file (relative to the pyramid's folder) an Image API request for
    `region` at `size` names, or None when it names no tile.

    A tile at scale factor s starts on the grid of `tile_size * s` full-size
    pixels, covers that much (less at the right and bottom edges) and is
    ceil(w/s) x ceil(h/s) pixels. Sizes one pixel off are accepted: clients round
    where the Image API says ceil. `pyramid` is what `Pyramid` stored as a dict."""
    width, height, tile_size = pyramid["width"], pyramid["height"], pyramid["tile_size"]
    if region == "full":
        x, y, w, h = 0, 0, width, height
    elif match := REGION.fullmatch(region):
        x, y, w, h = (int(n) for n in match.groups())
    else:
        return None
    for factor in pyramid["scale_factors"]:
        span = tile_size * factor
        if x % span or y % span or x >= width or y >= height:
            continue
        covered = (min(span, width - x), min(span, height - y))
        # A region running past the edge is cropped to the image (Image API §4.1).
        if (min(w, width - x), min(h, height - y)) != covered:
            continue
        if _size_matches(size, covered, factor):
            return tile_name(factor, x // span, y // span)
    return None


def _size_matches(size: str, covered: tuple[int, int], factor: int) -> bool:
    expected = [math.ceil(side / factor) for side in covered]
    if size == "max":
        return factor == 1
    match = SIZE.fullmatch(size)
    if match is None or match.groups() == ("", ""):
        return False
    given = [int(n) if n else None for n in match.groups()]
    return all(g is None or abs(g - e) <= 1 for g, e in zip(given, expected, strict=True))
