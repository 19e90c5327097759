"""Every new original, however it arrived (admin upload, chooser, importer), is
queued for processing once its transaction commits. So is an image whose file is
replaced (it waits as pending again) or whose focal point moves (its crops change).

Deep zoom (images/deep_zoom.py): tiles held back by a content warning are built
once staff confirm the image, or once its object's warning is lifted; a deleted
image's tiles go when its deletion commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from .deep_zoom import archive_image_delete_tiles
from .models import ArchiveImage
from .tasks import archive_image_queue_processing, archive_image_queue_tiles

FOCAL_POINT_FIELDS = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
WATCHED_FIELDS = ("file", "deep_zoom_confirmed", *FOCAL_POINT_FIELDS)


def note_changes_needing_processing(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._needs_processing = instance._needs_tiles = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED_FIELDS):
        return
    stored = ArchiveImage.objects.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    if stored is None:
        return
    instance._needs_tiles = instance.deep_zoom_confirmed and not stored["deep_zoom_confirmed"]
    file_replaced = stored["file"] != instance.file.name
    focal_moved = any(stored[name] != getattr(instance, name) for name in FOCAL_POINT_FIELDS)
    if file_replaced:
        instance.processing_status = ArchiveImage.ProcessingStatus.PENDING
        instance.processing_error = ""
    instance._needs_processing = file_replaced or focal_moved


def queue_processing(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created or getattr(instance, "_needs_processing", False):
        instance._needs_processing = False
        archive_image_queue_processing(image_id=instance.pk)  # the tiles follow it
    elif getattr(instance, "_needs_tiles", False):
        archive_image_queue_tiles(image_id=instance.pk)
    instance._needs_tiles = False


def delete_tiles(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: archive_image_delete_tiles(image_id=image_id))


def queue_tiles_when_warning_lifted(sender, instance, raw=False, **kwargs):
    """An object saved without a content warning: its images that have no tiles
    yet (held back while it had one) get them. One query when there are none."""
    if raw or instance.content_warning:
        return
    waiting = ArchiveImage.objects.filter(
        object_images__object=instance,
        tile_pyramid={},
        processing_status=ArchiveImage.ProcessingStatus.READY,
    ).values_list("pk", flat=True)
    for image_id in waiting:
        archive_image_queue_tiles(image_id=image_id)


def register_signal_handlers():
    pre_save.connect(
        note_changes_needing_processing, sender=ArchiveImage, dispatch_uid="images_note_changes"
    )
    post_save.connect(queue_processing, sender=ArchiveImage, dispatch_uid="images_queue")
    post_delete.connect(delete_tiles, sender=ArchiveImage, dispatch_uid="images_delete_tiles")
    post_save.connect(
        queue_tiles_when_warning_lifted,
        sender="objects.CollectionObject",
        dispatch_uid="images_tiles_warning_lifted",
    )
