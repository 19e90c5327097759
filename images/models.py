"""Archive scans as Wagtail images, with the state of their processing.

Originals are uploaded by staff or attached by the importer; a Celery job on
the `images` queue (images/tasks.py) validates each one, computes what the
public pages need (placeholder, dominant colour, perceptual hash) and
pre-generates the renditions the templates use.
"""

import secrets
from contextlib import contextmanager

from django.core.files import File
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Image,
    SourceImageIOError,
    WagtailImageField,
    get_upload_to,
)
from willow.image import Image as WillowImage
from willow.plugins.pillow import PillowImage

from bac_collection.storage import private_storage

from .processing import to_srgb_8bit


class ArchiveImage(AbstractImage):
    class ProcessingStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    # Wagtail's field, in private storage: originals keep their EXIF and GPS and
    # are never served; only renditions (in MEDIA_ROOT/images/) are.
    file = WagtailImageField(
        verbose_name=_("file"),
        upload_to=get_upload_to,
        width_field="width",
        height_field="height",
        storage=private_storage,
    )
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
    # Part of every rendition's file name when set. A memory photo gets a new one
    # each time its memory is approved, so no URL from before (a rejection, say)
    # ever answers again. Staff scans have none: their names stay fixed.
    rendition_key = models.CharField(max_length=16, blank=True, editable=False)
    # The deep-zoom tile pyramid (images/deep_zoom.py) once built: the key naming
    # its folder, the size and scale factors info.json lists, and the hash of the
    # original it was cut from. Empty until then.
    tile_pyramid = models.JSONField(default=dict, blank=True, editable=False)
    deep_zoom_confirmed = models.BooleanField(
        "full-resolution zoom despite a content warning",
        default=False,
        help_text=(
            "An image shown on an object with a content warning can be zoomed to its "
            "full resolution only once this is ticked."
        ),
    )

    # Wagtail's own `description` field is the image's default alt text.
    admin_form_fields = Image.admin_form_fields + ("credit", "deep_zoom_confirmed")

    @property
    def is_ready(self):
        return self.processing_status == self.ProcessingStatus.READY

    @staticmethod
    def new_rendition_key() -> str:
        return secrets.token_hex(8)  # the field's 16 characters

    @contextmanager
    def get_willow_image(self):
        """The original as Wagtail's filters see it: upright, in sRGB, with no
        EXIF, GPS, XMP or profile left to copy into a rendition (Willow writes
        the original's EXIF into JPEG and PNG renditions, `original` included).
        Used for every rendition Wagtail makes and by the admin's preview view."""
        # A file handle of its own: Wagtail makes several renditions at once in
        # threads, and its open_file() shares one.
        try:
            original = self.file.storage.open(self.file.name, "rb")
        except OSError as error:
            raise SourceImageIOError(str(error)) from error
        with original:
            willow = WillowImage.open(original)
            upright = willow.auto_orient()  # reads the EXIF orientation before it goes
            stripped = PillowImage(to_srgb_8bit(upright.get_pillow_image()))
            # Wagtail's filters keep the original's format unless told otherwise.
            stripped.format_name = willow.format_name
            yield stripped

    def generate_rendition_file(self, filter, *, source=None):
        # `source` (the original's bytes, passed when Wagtail makes several
        # renditions at once) would be decoded as is, metadata and all: the
        # filter reads the original through get_willow_image above instead.
        # Wagtail's admin draws renditions on the fly; a damaged original must
        # show as a broken image there (SourceImageIOError), not a server error.
        try:
            rendition_file = super().generate_rendition_file(filter)
        except (OSError, ValueError, SyntaxError, PILImage.DecompressionBombError) as error:
            raise SourceImageIOError(f"Cannot render image {self.pk}: {error}") from error
        if not self.rendition_key:
            return rendition_file
        return File(rendition_file.file, name=f"{self.rendition_key}.{rendition_file.name}")


class ArchiveRendition(AbstractRendition):
    image = models.ForeignKey(ArchiveImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        # Public media is served by file name (images.views.public_media).
        indexes = [models.Index(fields=["file"], name="archiverendition_file")]
