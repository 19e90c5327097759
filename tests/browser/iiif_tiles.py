"""What the deep-zoom browser tests share: a scanned poster with its tile pyramid,
zooming in with the mouse wheel, and spotting full-resolution tiles in the traffic."""

import re

from images.services import archive_image_from_path
from tests.factories.objects import CollectionObjectFactory, ObjectImageFactory
from tests.images import files

# /iiif/image/<id>/<x>,<y>,<w>,<h>/<width>,<height>/0/default.jpg
TILE = re.compile(r"/iiif/image/\d+/(\d+),(\d+),(\d+),(\d+)/(\d+),(\d+)/0/default\.jpg$")


def scanned_poster(folder):
    """A published object with a 2400 x 1600 scan, processed and tiled by its jobs
    (which run as each write commits, in a transactional test)."""
    path = folder / "poster-scan.jpg"
    path.write_bytes(files.jpeg_with_gps(2400, 1600, quality=90))
    image = archive_image_from_path(path=path, title="Poster scan")
    poster = CollectionObjectFactory(title="Deep zoom poster")
    ObjectImageFactory(object=poster, image=image, alt_text="A poster")
    image.refresh_from_db()
    assert image.tile_pyramid["scale_factors"] == [1, 2, 4, 8]
    return poster


def record_iiif_responses(page) -> list[tuple[str, int]]:
    responses = []
    page.on(
        "response", lambda r: responses.append((r.url, r.status)) if "/iiif/" in r.url else None
    )
    return responses


def full_resolution_tiles(responses):
    """Tile responses whose size is their region's: scale factor 1."""
    found = []
    for url, status in responses:
        match = TILE.search(url)
        if match:
            x, y, w, h, width, height = (int(n) for n in match.groups())
            if (w, h) == (width, height):
                found.append((url, status))
    return found


def zoom_in_until_full_resolution(page, viewer, responses):
    """Wheel-zoom at the viewer's centre, as a visitor would, until a tile at scale
    factor 1 has been answered (or 20 s have passed); those tiles."""
    box = viewer.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(30):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(50)
    for _ in range(100):
        if full_resolution_tiles(responses):
            break
        page.wait_for_timeout(200)
    page.wait_for_load_state("networkidle")
    return full_resolution_tiles(responses)
