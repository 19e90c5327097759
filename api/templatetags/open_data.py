"""Links from public pages to the open-data versions of what they show."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def iiif_manifest_url(obj, images) -> str:
    """The object's IIIF manifest path, or "" while none of its images is ready."""
    if not obj.slug or not any(item.image.is_ready for item in images):
        return ""
    return reverse("iiif:manifest", args=[obj.slug])
