"""Template tags for archive images on public pages.

    {% load archive_images %}
    {% picture image "listing" alt=object_image.alt %}
    {% picture image "detail" alt="..." sizes="(min-width: 50em) 50vw, 100vw" %}
    <meta property="og:image" content="{% social_image_url image %}">

The tags only ever read renditions the worker has already made: they never
decode an original on the request path. An image that is not ready (or has
failed) renders as a placeholder box carrying its alt text. For lists, prefetch
with images.selectors.picture_renditions_prefetch to keep one query per page.
"""

import functools
import logging
import re

from django import template
from django.core.files.storage import FileSystemStorage
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter

from foundation.absolute_urls import absolute_url
from images.renditions import FALLBACK_FORMAT, MIME_TYPES, SOCIAL, USAGES, usage_derivatives

register = template.Library()
logger = logging.getLogger(__name__)

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


@register.simple_tag
def picture(image, usage, alt=None, sizes="", css_class=""):
    """A responsive <picture>, or a placeholder box if the image is not ready.

    `alt` defaults to the image's description; pass alt="" for a decorative image.
    The markup is built here, not by an included template: listing pages show dozens
    of pictures, and rendering that template was a third of each one's time.
    """
    if alt is None:
        alt = (image.description or image.title) if image is not None else ""
    extra = f" {css_class}" if css_class else ""
    try:
        found = _picture_context(image, USAGES[usage], sizes)
    except Exception:  # a page must render even if an image is broken in some new way
        logger.exception("Could not render picture for image %s", getattr(image, "pk", None))
        found = {}
    if found.get("ready"):
        classes = f"archive-picture archive-picture--{usage}{extra}"
        return _picture_html(found, classes=classes, alt=alt)
    classes = f"archive-picture archive-picture--{usage} archive-picture--unavailable{extra}"
    return _unavailable_html(classes=classes, aspect_ratio=found.get("aspect_ratio", ""), alt=alt)


def _picture_html(found: dict, *, classes: str, alt: str) -> str:
    sources = mark_safe(  # noqa: S308 (each piece escaped by format_html)
        "".join(
            format_html(
                '\n  <source type="{}" srcset="{}" sizes="{}">',
                source["type"],
                source["srcset"],
                found["sizes"],
            )
            for source in found["sources"]
        )
    )
    loading = ' loading="lazy"' if found["lazy"] else ' fetchpriority="high"'
    placeholder = ""
    if "placeholder_colour" in found:
        placeholder += format_html(' data-placeholder-colour="{}"', found["placeholder_colour"])
    if "placeholder_image" in found:
        placeholder += format_html(' data-placeholder-image="{}"', found["placeholder_image"])
    return format_html(
        '<picture class="{}">{}\n  <img src="{}" srcset="{}" sizes="{}" width="{}" height="{}"'
        ' alt="{}"{} decoding="async"{}>\n</picture>\n',
        classes,
        sources,
        found["src"],
        found["srcset"],
        found["sizes"],
        found["width"],
        found["height"],
        alt,
        mark_safe(loading),  # noqa: S308 (a constant)
        mark_safe(placeholder),  # noqa: S308 (each piece escaped by format_html)
    )


def _unavailable_html(*, classes: str, aspect_ratio: str, alt: str) -> str:
    """A box of the picture's shape; with alt text, that text and a note."""
    if alt:
        return format_html(
            '<div class="{}" data-aspect-ratio="{}">\n'
            '  <p class="archive-picture__alt">{}</p>\n'
            '  <p class="archive-picture__note">Image not available yet</p>\n</div>\n',
            classes,
            aspect_ratio,
            alt,
        )
    return format_html(
        '<div class="{}" data-aspect-ratio="{}" aria-hidden="true"></div>\n',
        classes,
        aspect_ratio,
    )


def _picture_context(image, usage, sizes) -> dict:
    if image is None or not image.is_ready:
        return {"aspect_ratio": _aspect_ratio(image)}
    filters = _usage_filters(usage.name)
    found = image.find_existing_renditions(*filters.values())
    by_format: dict[str, list] = {}
    for derivative, filter_ in filters.items():
        if filter_ in found:
            by_format.setdefault(derivative.format, []).append(found[filter_])
    fallback = by_format.pop(FALLBACK_FORMAT, [])
    if not fallback:
        return {"aspect_ratio": _aspect_ratio(image)}
    largest = max(fallback, key=lambda r: r.width)
    return {
        "ready": True,
        "sources": [
            {"type": MIME_TYPES[fmt], "srcset": _srcset(renditions)}
            for fmt, renditions in by_format.items()
        ],
        "src": _url(min(fallback, key=lambda r: abs(r.width - 800))),
        "srcset": _srcset(fallback),
        "sizes": sizes or usage.sizes,
        "width": largest.width,
        "height": largest.height,
        "lazy": usage.lazy,
        **_placeholder(image),
    }


@functools.cache
def _usage_filters(usage_name: str) -> dict:
    """Filters built once per process: parsing a Filter's spec on every picture
    cost several milliseconds per image on listing pages."""
    return {d: Filter(d.filter_spec) for d in usage_derivatives(usage_name)}


@functools.cache
def _social_filter() -> Filter:
    return Filter(SOCIAL.filter_spec)


def _srcset(renditions) -> str:
    """ "url 320w, url 640w": one candidate per distinct width, smallest first."""
    by_width = {r.width: r for r in sorted(renditions, key=lambda r: r.width)}
    return ", ".join(f"{_url(r)} {width}w" for width, r in by_width.items())


def _url(rendition) -> str:
    """The rendition's URL. On the file system a file's URL depends on its name
    alone, so each is worked out once per process: `storage.url()` (its urljoin) was
    an eighth of a cold browse page, 13 URLs for each of 24 pictures. Other
    storages (signed URLs that expire) are asked every time."""
    file = rendition.file  # a descriptor that wraps the name anew on every access
    storage = file.storage
    if isinstance(storage, FileSystemStorage):
        return _file_system_url(storage, storage.base_url, file.name)
    return file.url


@functools.lru_cache(maxsize=50_000)
def _file_system_url(storage: FileSystemStorage, base_url: str, name: str) -> str:
    # base_url in the key: MEDIA_URL changed (tests) gives new URLs.
    return storage.url(name)


def _aspect_ratio(image) -> str:
    if image is None or not image.width or not image.height:
        return "4 / 3"
    return f"{image.width} / {image.height}"


def _placeholder(image) -> dict:
    """Colour and tiny preview painted behind the <img> until it loads. They travel in
    data- attributes (static/js/site.js paints them): the Content-Security-Policy
    allows no style="" attributes."""
    placeholder = {}
    if HEX_COLOUR.match(image.dominant_colour or ""):
        placeholder["placeholder_colour"] = image.dominant_colour
    if image.placeholder.startswith("data:image/webp;base64,"):
        placeholder["placeholder_image"] = image.placeholder
    return placeholder


@register.simple_tag(takes_context=True)
def social_image_url(context, image) -> str:
    """Absolute URL of the 1200x630 JPEG for sharing, or "" if there is none yet."""
    if image is None or not image.is_ready:
        return ""
    try:
        rendition = image.find_existing_renditions(_social_filter())
    except Exception:
        logger.exception("Could not look up the social image for image %s", image.pk)
        return ""
    if not rendition:
        return ""
    return absolute_url(next(iter(rendition.values())).url, request=context.get("request"))
