"""IIIF Presentation 3.0 manifests and Image API 3.0 (level 0) descriptions,
built as plain data from objects the selectors loaded.

The image service offers only what the pipeline already made (images/): each
non-cropped JPEG derivative is a whole-image size a client may request, and
the tiles of the original's pyramid (images/deep_zoom.py), listed in `tiles`,
let a client zoom to the original's full resolution. Until an image has a
pyramid its largest derivative is the "full" image. Nothing is ever resized on
request. https://iiif.io/api/presentation/3.0/ and https://iiif.io/api/image/3.0/
"""

import re
from collections.abc import Callable

from django.urls import reverse

from foundation.absolute_urls import path_for
from foundation.text import plain_text
from images.deep_zoom import zoomable_pyramid
from objects.image_warnings import behind_content_warning
from objects.models import CollectionObject, ObjectImage
from objects.presentation import collection_name

PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
IMAGE_PROTOCOL = "http://iiif.io/api/image"
THUMBNAIL_WIDTH = 320
LANGUAGE = "en"
# An object's linked-data documents (api/linked_data.py), by URL suffix and profile.
LINKED_DATA_DOCUMENTS = [
    ("jsonld", "https://schema.org/"),
    ("linked-art.json", "https://linked.art/ns/v1/linked-art.json"),
]

# Turns a site path into an absolute URL (the request's host, or the configured base URL).
Absolute = Callable[[str], str]


def iiif_rights(uri: str) -> str:
    """The rights URI in the form IIIF requires: Creative Commons URIs with http:,
    as the licences themselves give them (Presentation 3.0, "rights")."""
    return uri.replace("https://creativecommons.org/", "http://creativecommons.org/", 1)


def _text(value: str) -> dict:
    return {LANGUAGE: [value]}


def _entry(label: str, value: str) -> dict:
    return {"label": _text(label), "value": _text(value)}


# Image API 3.0 request parameters (§4.1-4.5) as syntax: anything else is a 400.
_NUMBER = r"\d+(\.\d+)?"
_PERCENTS = ",".join([_NUMBER] * 4)
REGION_SYNTAX = re.compile(rf"full|square|\d+,\d+,\d+,\d+|pct:{_PERCENTS}", re.ASCII)
SIZE_SYNTAX = re.compile(rf"\^?(max|pct:{_NUMBER}|\d+,|,\d+|!?\d+,\d+)", re.ASCII)
ROTATION_SYNTAX = re.compile(rf"!?{_NUMBER}", re.ASCII)
QUALITIES = {"default", "color", "gray", "bitonal"}
FORMATS = {"jpg", "tif", "png", "gif", "jp2", "pdf", "webp"}
# What this level 0 service offers besides the listed sizes.
OFFERED = {"region": "full", "rotation": "0", "quality": "default", "format": "jpg"}


class ImageRequestError(Exception):
    """An image request the service cannot answer, with the Image API's status:
    400 for a request that is not Image API syntax (or would upscale without
    the ^ that asks for it), 501 for a valid request this service does not offer."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def check_image_request(
    *, region: str, size: str, rotation: str, quality: str, format: str, full: dict
) -> None:
    """Raises ImageRequestError (400) for a request that is not Image API syntax,
    or that asks for more than the `full` image without the ^ that allows it."""
    for name, value, valid in (
        ("region", region, REGION_SYNTAX.fullmatch(region)),
        ("size", size, SIZE_SYNTAX.fullmatch(size)),
        ("rotation", rotation, ROTATION_SYNTAX.fullmatch(rotation)),
        ("quality", quality, quality in QUALITIES),
        ("format", format, format in FORMATS),
    ):
        if not valid:
            raise ImageRequestError(400, f"{value!r} is not an Image API 3.0 {name}.")
    if float(rotation.lstrip("!")) > 360:
        raise ImageRequestError(400, "Rotation is 0 to 360 degrees.")
    problem = _size_problem(size, full)
    if problem:
        raise ImageRequestError(400, problem)


def is_tile_request(*, rotation: str, quality: str, format: str) -> bool:
    """Tiles are JPEGs as they were cut: only their region and size vary."""
    return (rotation, quality, format) == ("0", "default", "jpg")


def requested_size(
    *, region: str, size: str, rotation: str, quality: str, format: str, sizes: list[dict]
) -> dict:
    """Which of `sizes` (the listed whole-image sizes, smallest first) a request
    asks for ("max" is the largest); raises ImageRequestError (501) for anything
    else. Call check_image_request first."""
    full = sizes[-1]
    asked = {"region": region, "rotation": rotation, "quality": quality, "format": format}
    if asked != OFFERED:
        offered = ", ".join(f"{name} {value}" for name, value in OFFERED.items())
        raise ImageRequestError(501, f"This level 0 service offers {offered} only.")
    if size == "max":
        return full
    width, _, height = size.partition(",")
    if width.isdigit() and height.isdigit():
        wanted = {"width": int(width), "height": int(height)}
        if wanted in sizes:
            return wanted
    raise ImageRequestError(501, "This level 0 service offers only the sizes info.json lists.")


def _size_problem(size: str, full: dict) -> str | None:
    """Why a size (already known to be syntax) is a bad request, if it is: no
    pixels at all, or more than the full image without the ^ that asks for that."""
    bare = size.removeprefix("^")
    if bare == "max":
        return None
    if bare.startswith("pct:"):
        percent = float(bare.removeprefix("pct:"))
        if percent == 0:
            return "A size of 0% has no pixels to show."
        upscales = percent > 100
    else:
        width, height = (int(n) if n else None for n in bare.removeprefix("!").split(","))
        if 0 in (width, height):
            return "A size of 0 pixels has no pixels to show."
        confined = bare.startswith("!")  # fits a box: never larger than the image
        upscales = not confined and ((width or 0) > full["width"] or (height or 0) > full["height"])
    if upscales and not size.startswith("^"):
        return "A size above the full image needs the ^ prefix."
    return None


def image_sizes(renditions) -> list[dict]:
    """Distinct (width, height) of the renditions, smallest first."""
    sizes = {(r.width, r.height) for r in renditions}
    return [{"width": w, "height": h} for w, h in sorted(sizes)]


def image_service_url(image_id: int, absolute: Absolute) -> str:
    return absolute(path_for("iiif:image-base", image_id))


def image_url(image_id: int, size: dict, absolute: Absolute) -> str:
    size_path = f"full/{size['width']},{size['height']}/0/default.jpg"
    return f"{image_service_url(image_id, absolute)}/{size_path}"


def full_size(sizes: list[dict], pyramid: dict | None) -> dict:
    """The image's full size: the original's with a pyramid, else the largest derivative."""
    if pyramid:
        return {"width": pyramid["width"], "height": pyramid["height"]}
    return sizes[-1]


def image_info(*, image_id: int, renditions, absolute: Absolute, pyramid: dict | None) -> dict:
    """The info.json of one image: a level 0 service with the sizes the pipeline
    made and, with a pyramid, its tiles down to the original's pixels."""
    sizes = image_sizes(renditions)
    full = full_size(sizes, pyramid)
    info = {
        "@context": IMAGE_CONTEXT,
        "id": image_service_url(image_id, absolute),
        "type": "ImageService3",
        "protocol": IMAGE_PROTOCOL,
        "profile": "level0",
        "width": full["width"],
        "height": full["height"],
        "sizes": sizes,
    }
    if pyramid:
        # "max" is then the largest derivative, not the original: say so (§5.3).
        info["maxWidth"], info["maxHeight"] = sizes[-1]["width"], sizes[-1]["height"]
        info["tiles"] = [
            {
                "width": pyramid["tile_size"],
                "height": pyramid["tile_size"],
                "scaleFactors": pyramid["scale_factors"],
            }
        ]
    return info


def _service(image_id: int, absolute: Absolute) -> list[dict]:
    return [
        {"id": image_service_url(image_id, absolute), "type": "ImageService3", "profile": "level0"}
    ]


def _image_body(image_id: int, size: dict, absolute: Absolute) -> dict:
    return {
        "id": image_url(image_id, size, absolute),
        "type": "Image",
        "format": "image/jpeg",
        "width": size["width"],
        "height": size["height"],
        "service": _service(image_id, absolute),
    }


def thumbnail_size(sizes: list[dict]) -> dict:
    """The largest size that fits a 320-pixel box, else the smallest there is."""
    fitting = [s for s in sizes if max(s["width"], s["height"]) <= THUMBNAIL_WIDTH]
    return fitting[-1] if fitting else sizes[0]


def ready_images(obj: CollectionObject) -> list[tuple[ObjectImage, list[dict]]]:
    """(object image, sizes) for each image with public derivatives, in order.
    Worked out once per loaded object: thumbnails, manifests and image lists share it."""
    if not hasattr(obj, "_ready_images"):
        found = []
        for item in obj.object_images.all():
            if item.image.is_ready:
                sizes = image_sizes(item.image.renditions.all())
                if sizes:
                    found.append((item, sizes))
        obj._ready_images = found
    return obj._ready_images


def item_pyramid(item: ObjectImage) -> dict | None:
    """The tile pyramid a viewer may zoom into for an object's image, if any
    (`behind_content_warning` is annotated by api.selectors.object_images_prefetch)."""
    behind_warning = getattr(item, "behind_content_warning", None)
    if behind_warning is None:
        behind_warning = behind_content_warning(item.image_id)
    return zoomable_pyramid(item.image, behind_warning=behind_warning)


def manifest_url(obj: CollectionObject, absolute: Absolute) -> str:
    return absolute(path_for("iiif:manifest", obj.slug))


def object_manifest(*, obj: CollectionObject, absolute: Absolute) -> dict | None:
    """The object's manifest: a canvas per image. None when it has no image ready."""
    images = ready_images(obj)
    if not images:
        return None
    base = manifest_url(obj, absolute).removesuffix("/manifest.json")
    page_url = absolute(obj.get_absolute_url())
    canvases = []
    for number, (item, sizes) in enumerate(images, start=1):
        canvas_id = f"{base}/canvas/{number}"
        # The canvas has the original's pixels when its tiles can be zoomed into,
        # so viewers zoom that far; the painted body stays the largest derivative.
        full = full_size(sizes, item_pyramid(item))
        canvases.append(
            {
                "id": canvas_id,
                "type": "Canvas",
                "label": _text(item.alt or f"Image {number}"),
                "width": full["width"],
                "height": full["height"],
                "thumbnail": [_image_body(item.image_id, thumbnail_size(sizes), absolute)],
                "items": [
                    {
                        "id": f"{canvas_id}/page",
                        "type": "AnnotationPage",
                        "items": [
                            {
                                "id": f"{canvas_id}/page/image",
                                "type": "Annotation",
                                "motivation": "painting",
                                "target": canvas_id,
                                "body": _image_body(item.image_id, sizes[-1], absolute),
                            }
                        ],
                    }
                ],
            }
        )
    manifest = {
        "@context": PRESENTATION_CONTEXT,
        "id": manifest_url(obj, absolute),
        "type": "Manifest",
        "label": _text(obj.title),
        "metadata": _metadata(obj),
        "rights": iiif_rights(obj.rights_uri),
        "requiredStatement": _entry("Credit", obj.credit_line or collection_name(obj)),
        "provider": [
            {
                "id": absolute("/"),
                "type": "Agent",
                "label": _text("Battersea Arts Centre"),
                "homepage": [
                    {
                        "id": absolute("/"),
                        "type": "Text",
                        "label": _text("BAC Collection"),
                        "format": "text/html",
                    }
                ],
            }
        ],
        "homepage": [
            {"id": page_url, "type": "Text", "label": _text(obj.title), "format": "text/html"}
        ],
        # What describes the object whose page `homepage` is (its identifier).
        "seeAlso": [
            {
                "id": absolute(reverse("linked_data:object", args=[obj.slug, suffix])),
                "type": "Dataset",
                "format": "application/ld+json",
                "profile": profile,
            }
            for suffix, profile in LINKED_DATA_DOCUMENTS
        ],
        "thumbnail": canvases[0]["thumbnail"],
        "items": canvases,
    }
    summary = plain_text(obj.description)
    if summary:
        manifest["summary"] = _text(summary)
    return manifest


def _metadata(obj: CollectionObject) -> list[dict]:
    rows = [
        # First, so a viewer shows it before anything else it lists.
        ("Content warning", obj.content_warning),
        ("Accession number", obj.accession_number),
        ("Type", obj.object_type.name),
        ("Date", obj.date_display),
        ("Made by", ", ".join(m.maker.name for m in obj.object_makers.all())),
        ("Production", str(obj.production) if obj.production else ""),
        ("Materials", obj.materials),
        ("Dimensions", obj.dimensions),
        ("Rights", obj.rights_label),
    ]
    return [_entry(label, value) for label, value in rows if value]
