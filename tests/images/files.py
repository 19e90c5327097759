"""Image files built inside the tests: good ones with awkward properties, and hostile ones."""

import csv
import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from tests.conftest import SHARED_DATA

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width=1200, height=800, *, mode="RGB"):
    """A picture with real structure (so encoders and hashes have work to do)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((width // 10, height // 10, width // 2, height // 2), fill=(200, 40, 40))
    draw.ellipse((width // 2, height // 3, width - 20, height - 20), fill=(30, 90, 200))
    return image.convert(mode) if mode != "RGB" else image


def jpeg_with_gps(width=1200, height=800, *, orientation=1, quality=85) -> bytes:
    """A phone-style JPEG: EXIF orientation, camera model and GPS position."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x0110] = "Test Phone 3000"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 28.0, 30.0), 3: "W", 4: (0.0, 9.0, 50.0)}
    buffer = io.BytesIO()
    photo(width, height).save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def encoded(image, image_format, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def png_claiming_size(width, height) -> bytes:
    """A tiny PNG whose header claims `width` x `height`: a decompression bomb."""
    data = bytearray(encoded(Image.new("L", (1, 1)), "PNG"))
    ihdr_start = 8 + 4 + 4  # signature, chunk length, chunk type
    data[ihdr_start : ihdr_start + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12 : ihdr_start + 13]))
    data[ihdr_start + 13 : ihdr_start + 17] = struct.pack(">I", crc)
    return bytes(data)


def truncated_jpeg() -> bytes:
    whole = encoded(photo(800, 600), "JPEG", quality=90)
    return whole[: len(whole) // 2]


HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b"<script>alert(document.cookie)</script><rect width='100' height='100'/></svg>"
)


def photos_with_gps() -> list[Path]:
    """The real camera photos with a GPS position in the shared data (none without it)."""
    manifest = SHARED_DATA / "images" / "manifest.csv"
    if not manifest.exists():
        return []
    with manifest.open() as rows:
        return [
            SHARED_DATA / "images" / row["file"]
            for row in csv.DictReader(rows)
            if row["has_gps"] == "1"
        ]
