"""The Wagtail admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): uploads are
checked by their bytes (images/validation.py) before Wagtail ever decodes them.
Used by the single and multiple uploaders and the chooser's upload tab alike."""

import os

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from .validation import validate_image_file

# The file name must agree with the content: a mismatch usually means a disguise.
EXTENSION_FORMATS = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "tif": "TIFF",
    "tiff": "TIFF",
    "webp": "WEBP",
    "avif": "AVIF",
}


class ArchiveImageFileField(WagtailImageField):
    def to_python(self, data):
        if data in self.empty_values:
            return super().to_python(data)
        header = validate_image_file(data)
        extension = os.path.splitext(data.name)[1].lower().lstrip(".")
        if EXTENSION_FORMATS.get(extension) != header.format:
            raise ValidationError(
                f"The file is named .{extension or '(no extension)'} but it is a "
                f"{header.format} image. Give it the right extension and upload it again.",
                code="invalid_image_known_format",
            )
        return super().to_python(data)

    def check_image_file_format(self, f):
        # Done in to_python from the sniffed bytes, which also knows .tif is TIFF.
        pass


class ArchiveImageForm(BaseImageForm):
    file = ArchiveImageFileField(
        label="File", widget=BaseImageForm.Meta.widgets["file"], required=True
    )
