"""Every new original, however it arrived (admin upload, chooser, importer), is
queued for processing once its transaction commits. So is an image whose file is
replaced (it waits as pending again) or whose focal point moves (its crops change)."""

from django.db.models.signals import post_save, pre_save

from .models import ArchiveImage
from .services import archive_image_queue_processing

FOCAL_POINT_FIELDS = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
WATCHED_FIELDS = ("file", *FOCAL_POINT_FIELDS)


def note_changes_needing_processing(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._needs_processing = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED_FIELDS):
        return
    stored = ArchiveImage.objects.filter(pk=instance.pk).values(*WATCHED_FIELDS).first()
    if stored is None:
        return
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
        archive_image_queue_processing(image_id=instance.pk)


def register_signal_handlers():
    pre_save.connect(
        note_changes_needing_processing, sender=ArchiveImage, dispatch_uid="images_note_changes"
    )
    post_save.connect(queue_processing, sender=ArchiveImage, dispatch_uid="images_queue")
