"""Deep zoom: each original's tile pyramid (images/tiles.py) on disk, built by a
Celery job on the `images` queue once its derivatives are ready, and when
clients may zoom into it.

Layout: MEDIA_ROOT/tiles/<image id>/<key>/<scale factor>/<column>_<row>.jpg.
Not under media/images/, which a proxy may serve as it is: tiles are only ever
served by the IIIF image service (api/views.py), which checks first that the
image is shown on a published object.

Atomic: a pyramid is built in a hidden folder beside its final place, renamed
there whole (one rename within one folder), and only then named in the image's
row. Only the folder the row names is ever served, so a half-built pyramid
never is. The folder of the pyramid it replaces goes once the row commits.
"""

import logging
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import ArchiveImage
from .processing import UnreadableImage
from .services import local_original
from .tiles import TILE_SIZE, build_pyramid

logger = logging.getLogger(__name__)

TILES_FOLDER = "tiles"
BUILDING_PREFIX = ".building-"
# A build folder this old belongs to a job whose worker died: safe to remove.
ABANDONED_AFTER_SECONDS = 60 * 60


def image_tiles_folder(image_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / TILES_FOLDER / str(image_id)


def tile_path(image_id: int, pyramid: dict, relative: str) -> Path:
    """The file of one tile (`relative` comes from images.tiles.tile_for_request)."""
    return image_tiles_folder(image_id) / pyramid["key"] / relative


# Why apps above images hold an image's tiles back (memories: a contributor's photo;
# objects: behind a content warning staff have not confirmed). Each registers in its
# AppConfig.ready() a function of the image that returns the reason, or "" if none.
TILE_HOLDS: list[Callable[[ArchiveImage], str]] = []


def zoomable_pyramid(image: ArchiveImage, *, behind_warning: bool) -> dict | None:
    """The pyramid clients may zoom into, or None: it must be cut from the current
    original and, for an image behind a content warning, confirmed by staff."""
    pyramid = image.tile_pyramid
    if not pyramid or pyramid.get("source_hash") != image.file_hash:
        return None
    if behind_warning and not image.deep_zoom_confirmed:
        return None
    return pyramid


def archive_image_build_tiles(*, image_id: int) -> str:
    """Build the image's tile pyramid unless it has an up-to-date one; returns
    what happened, for the task's result and the log.

    Safe to run any number of times, at once too: each run builds in a folder
    of its own, and the row names one finished pyramid at a time. Storage errors
    propagate so the task retries them."""
    image = ArchiveImage.objects.filter(pk=image_id).first()
    if image is None:
        return "deleted"
    if image.processing_status != ArchiveImage.ProcessingStatus.READY:
        return "not ready"  # queued again when its processing succeeds
    for hold in TILE_HOLDS:
        if reason := hold(image):
            return reason
    current = image.tile_pyramid
    if (
        current.get("key")
        and current.get("source_hash") == image.file_hash
        and current.get("tile_size") == TILE_SIZE
        and image_tiles_folder(image.pk).joinpath(current["key"]).is_dir()
    ):
        return "up to date"
    key = secrets.token_hex(8)
    folder = image_tiles_folder(image.pk)
    building = folder / f"{BUILDING_PREFIX}{key}"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with local_original(image) as source:
            pyramid = build_pyramid(source, building)
        building.rename(folder / key)
    except UnreadableImage as error:
        logger.warning("No tile pyramid for image %s: %s", image.pk, error)
        return "unreadable"
    finally:
        shutil.rmtree(building, ignore_errors=True)
    record = {
        "key": key,
        "width": pyramid.width,
        "height": pyramid.height,
        "tile_size": pyramid.tile_size,
        "scale_factors": pyramid.scale_factors,
        "source_hash": image.file_hash,
    }
    return _record_pyramid(image.pk, record)


def _record_pyramid(image_id: int, record: dict) -> str:
    with transaction.atomic():
        # The row lock orders two runs for one image: the later one's pyramid wins.
        if not ArchiveImage.objects.select_for_update().filter(pk=image_id).exists():
            shutil.rmtree(image_tiles_folder(image_id), ignore_errors=True)
            return "deleted"
        ArchiveImage.objects.filter(pk=image_id).update(tile_pyramid=record)
        transaction.on_commit(lambda: _remove_other_pyramids(image_id, keep=record["key"]))
    logger.info("Tile pyramid for image %s: %s", image_id, record)
    return "built"


def _remove_other_pyramids(image_id: int, *, keep: str) -> None:
    """Every finished pyramid but the one the row names, and abandoned builds.
    A build still running (in another worker) keeps its folder."""
    abandoned_before = time.time() - ABANDONED_AFTER_SECONDS
    folder = image_tiles_folder(image_id)
    if not folder.is_dir():
        return  # the image was deleted meanwhile, its tiles with it
    for child in folder.iterdir():
        building = child.name.startswith(BUILDING_PREFIX)
        if child.name == keep or (building and child.stat().st_mtime > abandoned_before):
            continue
        shutil.rmtree(child, ignore_errors=True)


def archive_image_delete_tiles(*, image_id: int) -> None:
    """Every pyramid of a deleted image (called once its deletion commits)."""
    shutil.rmtree(image_tiles_folder(image_id), ignore_errors=True)
