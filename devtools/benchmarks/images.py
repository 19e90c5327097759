"""Timing the pipeline against pyvips, for `manage.py bench_images`.

Both sides make the same files: every derivative in images/renditions.py, in
the same formats and qualities, upright and stripped of metadata. pyvips does
it the idiomatic way (`thumbnail`, which shrinks on load, once per size). Our
side also computes the dominant colour, placeholder and hash, so it does a
little more work than the anchor.
"""

import io
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from images.processing import AVIF_SPEED, process_image
from images.renditions import QUALITY, all_derivatives

# libvips' AV1 "effort" runs opposite to libavif's "speed": effort = 9 - speed.
VIPS_AVIF_EFFORT = 9 - AVIF_SPEED


@dataclass(frozen=True)
class Run:
    derivatives: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.derivatives / self.seconds


def pillow_derivatives(path: str) -> int:
    with open(path, "rb") as source:
        return len(process_image(source, all_derivatives()).derivatives)


def pyvips_derivatives(path: str) -> int:
    import pyvips

    count = 0
    geometries: dict[tuple[int, int, bool], list] = {}
    for derivative in all_derivatives():
        key = (derivative.width, derivative.height, derivative.crop)
        geometries.setdefault(key, []).append(derivative)
    for (width, height, crop), derivatives in geometries.items():
        image = pyvips.Image.thumbnail(
            path, width, height=height, size="down", crop="centre" if crop else "none"
        ).copy_memory()
        if image.bands == 4:
            image = image.flatten(background=[255, 255, 255])
        for derivative in derivatives:
            _vips_encode(image, derivative.format)
            count += 1
    return count


def _vips_encode(image, image_format: str) -> bytes:
    quality = QUALITY[image_format]
    if image_format == "jpeg":
        return image.jpegsave_buffer(Q=quality, interlace=True, keep="none")
    if image_format == "webp":
        return image.webpsave_buffer(Q=quality, effort=4, keep="none")
    return image.heifsave_buffer(compression="av1", Q=quality, effort=VIPS_AVIF_EFFORT, keep="none")


def time_pillow_pyramid(path: Path, folder: Path) -> float:
    """Seconds for our Pillow pyramid alone (no job, no database), like for like
    with time_pyvips_pyramid."""
    from images.tiles import build_pyramid

    started = time.perf_counter()
    with path.open("rb") as source:
        build_pyramid(source, folder)
    return time.perf_counter() - started


def time_pyvips_pyramid(path: Path, folder: Path) -> float:
    """Seconds for libvips' dzsave to write the IIIF 3 tiles our pyramid holds:
    upright, 512 px, JPEG at the same quality, no metadata."""
    import pyvips

    from images.tiles import TILE_QUALITY, TILE_SIZE

    folder.mkdir(parents=True)
    started = time.perf_counter()
    image = pyvips.Image.new_from_file(str(path)).autorot()
    image.dzsave(
        str(folder / "pyramid"),
        layout="iiif3",
        tile_size=TILE_SIZE,
        overlap=0,
        suffix=f".jpg[Q={TILE_QUALITY},keep=none]",
    )
    return time.perf_counter() - started


def time_files(worker, paths: list[str], *, processes: int) -> Run:
    """Run `worker` over every file in `processes` processes; wall-clock time."""
    with ProcessPoolExecutor(max_workers=processes) as pool:
        list(pool.map(_warm_up, range(processes)))  # start-up is not image work
        started = time.perf_counter()
        counts = list(pool.map(worker, paths))
        return Run(sum(counts), time.perf_counter() - started)


def _warm_up(_):
    import pyvips  # noqa: F401  (load libvips before the clock starts)

    return os.getpid()


def write_phone_photo(path: Path, *, width=6000, height=4000) -> Path:
    """A 24-megapixel JPEG like a phone's: detailed, EXIF-rotated, with GPS."""
    noise = Image.effect_noise((width // 4, height // 4), 60).resize((width, height))
    image = Image.merge("RGB", (Image.linear_gradient("L").resize((width, height)), noise, noise))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 150):
        draw.line((i, 0, width - i, height), fill=(i % 255, 90, 200), width=9)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 30.0), 3: "W", 4: (0.0, 9.0, 50.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return path
