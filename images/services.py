"""Writes for archive images: creating them, queueing and recording their processing."""

import logging
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Filter
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from foundation.signals import records_changed

from .models import ArchiveImage, ArchiveRendition
from .processing import EncodedDerivative, ProcessedImage, UnreadableImage, process_image
from .renditions import all_derivatives
from .validation import validate_image_file

logger = logging.getLogger(__name__)

Status = ArchiveImage.ProcessingStatus
ARCHIVE_COLLECTION = "Archive"


def archive_image_from_path(
    *, path: Path, title: str, description: str = "", credit: str = ""
) -> ArchiveImage:
    """The archive image for the file at `path`, created (and queued) if new.

    The same bytes always give back the same image, so an import can be re-run.
    Raises ValidationError if the file is not an acceptable image.
    """
    with Path(path).open("rb") as source:
        validate_image_file(source)
        file_hash = hash_filelike(source)
        existing = ArchiveImage.objects.filter(file_hash=file_hash).order_by("pk").first()
        if existing is not None:
            return existing
        source.seek(0)
        image = ArchiveImage(
            title=title[:255],
            description=description[:255],
            credit=credit[:255],
            collection=archive_collection(),
            processing_status=Status.PENDING,
            file_hash=file_hash,
            file_size=Path(path).stat().st_size,
        )
        image.file.save(Path(path).name, File(source), save=False)
        image.full_clean(exclude=["file", "collection"])
        # Processing is queued by the post_save handler once this commits.
        image.save()
    return image


def archive_collection() -> Collection:
    """Where archive images live: the collection staff groups have image permissions
    on (pages/migrations/0005_least_privilege.py). Contributors' photos live beside it,
    in "Community memories", which only moderation reaches."""
    archive = Collection.objects.filter(depth=2, name=ARCHIVE_COLLECTION).first()
    return archive or Collection.get_first_root_node()


def archive_image_reset_for_processing(*, image: ArchiveImage) -> None:
    """Mark an image as waiting again (its file changed, or staff asked for a retry)."""
    ArchiveImage.objects.filter(pk=image.pk).update(
        processing_status=Status.PENDING, processing_error=""
    )
    image.processing_status, image.processing_error = Status.PENDING, ""


def archive_image_process(*, image_id: int) -> ArchiveImage | None:
    """Make every derivative of one image and record the outcome on it.

    Safe to run any number of times: files have fixed names and rendition rows
    are updated in place. A file that cannot be decoded marks the image failed;
    storage errors propagate so the task retries them.
    """
    image = ArchiveImage.objects.filter(pk=image_id).first()
    if image is None:
        logger.info("Archive image %s was deleted before it was processed", image_id)
        return None
    if image.processing_status != Status.READY:
        # A ready image being rebuilt keeps serving its current renditions.
        _set_status(image, Status.PROCESSING)
    try:
        with local_original(image) as source:
            result = process_image(source, all_derivatives(), focal_centre=_focal_centre(image))
    except UnreadableImage as error:
        reason = str(error)
    except FileNotFoundError:
        reason = "The original file is missing from storage."
    else:
        _store_renditions(image, result.derivatives)
        _record_ready(image, result)
        return image
    archive_image_mark_failed(image_id=image.pk, reason=reason)
    # Only these fields: reloading `file` would make Django re-read the broken file.
    image.refresh_from_db(fields=["processing_status", "processing_error", "processed_at"])
    return image


def archive_image_delete_renditions(*, image_id: int) -> None:
    """Take an image off the site: every rendition row now, its file once committed
    (Wagtail's post_delete handler). The original stays, so it can be rebuilt."""
    ArchiveRendition.objects.filter(image_id=image_id).delete()


def archive_image_renew_renditions(*, image_id: int) -> None:
    """Move an image's renditions to names never used before: a new key, the
    pipeline's derivatives rebuilt under it (their old files go when it is done)
    and any others deleted (Wagtail's admin makes them again on demand). The caller
    queues the rebuild (`images.tasks.archive_image_queue_processing`)."""
    ArchiveImage.objects.filter(pk=image_id).update(rendition_key=ArchiveImage.new_rendition_key())
    pipeline_specs = [derivative.filter_spec for derivative in all_derivatives()]
    ArchiveRendition.objects.filter(image_id=image_id).exclude(
        filter_spec__in=pipeline_specs
    ).delete()
    # update() sends no signal: the pages showing the image (the page cache's
    # `image:<id>`) must not keep the old names.
    records_changed.send(sender=ArchiveImage, pks=[image_id])


def archive_image_mark_failed(*, image_id: int, reason: str) -> None:
    ArchiveImage.objects.filter(pk=image_id).update(
        processing_status=Status.FAILED,
        processing_error=reason[:2000],
        processed_at=timezone.now(),
    )


def _set_status(image: ArchiveImage, status: str) -> None:
    image.processing_status = status
    image.processing_error = ""
    image.save(update_fields=["processing_status", "processing_error"])


@contextmanager
def local_original(image: ArchiveImage):
    """The original as a seekable local file (a temporary copy for remote storage)."""
    storage = image.file.storage
    try:
        local_path = storage.path(image.file.name)
    except NotImplementedError:
        local_path = None
    if local_path is not None:
        with open(local_path, "rb") as source:
            yield source
        return
    with tempfile.TemporaryFile() as copy, storage.open(image.file.name, "rb") as remote:
        shutil.copyfileobj(remote, copy, length=1024 * 1024)
        copy.seek(0)
        yield copy


def _focal_centre(image: ArchiveImage) -> tuple[float, float] | None:
    if image.focal_point_x is None or image.focal_point_y is None:
        return None
    return image.focal_point_x / image.width, image.focal_point_y / image.height


def _focal_point_key(image: ArchiveImage, encoded: EncodedDerivative) -> str:
    """Wagtail's key for crops, which depend on the focal point; blank otherwise."""
    return Filter(encoded.derivative.filter_spec).get_cache_key(image)


def _rendition_name(image: ArchiveImage, encoded: EncodedDerivative, focal_key: str) -> str:
    key = f"{image.rendition_key}." if image.rendition_key else ""
    stem = Path(image.file.name).stem[:60]
    spec = encoded.derivative.filter_spec.replace("|", ".")
    focal = f"{focal_key}." if focal_key else ""
    return f"{key}{stem}.{focal}{spec}.{encoded.extension}"


def _store_renditions(image: ArchiveImage, derivatives: list[EncodedDerivative]) -> None:
    """Write files under fixed names, then point the rendition rows at them."""
    storage = ArchiveRendition._meta.get_field("file").storage
    renditions = []
    for encoded in derivatives:
        rendition = ArchiveRendition(
            image=image,
            filter_spec=encoded.derivative.filter_spec,
            focal_point_key=_focal_point_key(image, encoded),
            width=encoded.width,
            height=encoded.height,
        )
        name = rendition.get_upload_to(_rendition_name(image, encoded, rendition.focal_point_key))
        # A rerun (or a redelivered job) overwrites rather than piling up copies.
        storage.delete(name)
        rendition.file = storage.save(name, ContentFile(encoded.data))
        renditions.append(rendition)
    new = {r.filter_spec: r for r in renditions}
    with transaction.atomic():
        existing = list(ArchiveRendition.objects.filter(image=image, filter_spec__in=new))
        # Files made earlier under other names (by Wagtail, or for an old focal point).
        superseded = [r.file.name for r in existing if r.file.name != new[r.filter_spec].file.name]
        ArchiveRendition.objects.filter(
            pk__in=[
                r.pk for r in existing if r.focal_point_key != new[r.filter_spec].focal_point_key
            ]
        ).delete()
        ArchiveRendition.objects.bulk_create(
            renditions,
            update_conflicts=True,
            unique_fields=["image", "filter_spec", "focal_point_key"],
            update_fields=["file", "width", "height"],
        )
        transaction.on_commit(lambda: [storage.delete(name) for name in superseded])
    ArchiveRendition.cache_backend.delete_many(
        [
            ArchiveRendition.construct_cache_key(image, r.focal_point_key, r.filter_spec)
            for r in renditions
        ]
    )


def _record_ready(image: ArchiveImage, result: ProcessedImage) -> None:
    image.processing_status = Status.READY
    image.processing_error = ""
    image.processed_at = timezone.now()
    image.dominant_colour = result.dominant_colour
    image.placeholder = result.placeholder
    image.perceptual_hash = result.perceptual_hash
    image.save(
        update_fields=[
            "processing_status",
            "processing_error",
            "processed_at",
            "dominant_colour",
            "placeholder",
            "perceptual_hash",
        ]
    )
