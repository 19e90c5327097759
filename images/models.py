"""Archive scans as Wagtail images, with the state of their processing.

Originals are uploaded by staff or attached by the importer; a Celery job on
the `images` queue (images/tasks.py) validates each one, computes what the
public pages need (placeholder, dominant colour, perceptual hash) and
pre-generates the renditions the templates use.
"""

from django.db import models
from PIL import Image as PILImage
from wagtail.images.models import AbstractImage, AbstractRendition, Image, SourceImageIOError


class ArchiveImage(AbstractImage):
    class ProcessingStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    credit = models.CharField(max_length=255, blank=True, help_text="Photographer or source.")
    processing_status = models.CharField(
        max_length=16,
        choices=ProcessingStatus.choices,
        default=ProcessingStatus.PENDING,
        db_index=True,
    )
    processing_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    dominant_colour = models.CharField(max_length=7, blank=True, help_text="#rrggbb")
    placeholder = models.TextField(
        blank=True, help_text="A tiny inline image shown while the real one loads."
    )
    perceptual_hash = models.CharField(max_length=16, blank=True, db_index=True)

    # Wagtail's own `description` field is the image's default alt text.
    admin_form_fields = Image.admin_form_fields + ("credit",)

    @property
    def is_ready(self):
        return self.processing_status == self.ProcessingStatus.READY

    def generate_rendition_file(self, filter, *, source=None):
        # Wagtail's admin draws renditions on the fly; a damaged original must
        # show as a broken image there (SourceImageIOError), not a server error.
        try:
            return super().generate_rendition_file(filter, source=source)
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as error:
            raise SourceImageIOError(f"Cannot render image {self.pk}: {error}") from error


class ArchiveRendition(AbstractRendition):
    image = models.ForeignKey(ArchiveImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
