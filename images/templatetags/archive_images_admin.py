"""Admin-only template tags: the processing status panel on the image edit page."""

from django import template

from images.selectors import archive_image_likely_duplicates

register = template.Library()


@register.inclusion_tag("images/admin/processing_status.html")
def image_processing_status(image):
    return {
        "image": image,
        "status": image.processing_status,
        "duplicates": archive_image_likely_duplicates(image=image),
    }
