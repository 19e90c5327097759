"""IIIF manifests and image service, linked data and bulk-download files.

Everything here is public data only: published objects, images shown on
published objects (as the pipeline's derivatives, never the original file),
and the files of the current bulk dump.
"""

import hashlib

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from foundation.absolute_urls import absolute_for
from images.deep_zoom import tile_path
from images.tiles import tile_for_request

from . import dumps, selectors
from .caching import IMAGE_MAX_AGE, METADATA_MAX_AGE, cacheable, not_modified, revalidated
from .iiif import (
    ImageRequestError,
    check_image_request,
    full_size,
    image_sizes,
    is_tile_request,
    object_manifest,
    requested_size,
)
from .iiif import image_info as build_image_info
from .linked_data import LINKED_ART, SCHEMA_ORG, object_linked_data

IIIF_PRESENTATION_TYPE = (
    'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
)
IIIF_IMAGE_TYPE = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
LINKED_DATA_FORMATS = {"jsonld": SCHEMA_ORG, "json": SCHEMA_ORG, "linked-art.json": LINKED_ART}


def _json(data: dict, *, content_type: str) -> JsonResponse:
    return JsonResponse(data, content_type=content_type, json_dumps_params={"indent": 1})


def _iiif_error(status: int, detail: str) -> JsonResponse:
    """A IIIF error as JSON, never the site's HTML page: viewers parse every
    answer they fetch as JSON (Mirador: "Unexpected token '<'")."""
    return JsonResponse({"detail": detail}, status=status)


def iiif_not_found(request: HttpRequest) -> JsonResponse:
    return _iiif_error(404, "No IIIF resource has this address.")


def _accepts_json_ld(request: HttpRequest) -> str:
    """The content type to answer with: JSON-LD for clients asking for it, else JSON."""
    accept = request.headers.get("Accept", "")
    return "application/ld+json" if "application/ld+json" in accept else "application/json"


@require_safe
@revalidated
def manifest(request: HttpRequest, slug: str) -> HttpResponse:
    obj = selectors.object_get_public(slug=slug)
    data = object_manifest(obj=obj, absolute=absolute_for(request)) if obj else None
    if data is None:
        return _iiif_error(404, "No published object with images has this address.")
    accept = _accepts_json_ld(request)
    return _json(data, content_type=IIIF_PRESENTATION_TYPE if "ld" in accept else accept)


@require_safe
def image_base(request: HttpRequest, image_id: int) -> HttpResponse:
    """The image service's base URI redirects to its description (Image API 3, §2.2:
    303 See Other)."""
    return HttpResponseRedirect(reverse("iiif:image-info", args=[image_id]), status=303)


@require_safe
@revalidated
def image_info(request: HttpRequest, image_id: int) -> HttpResponse:
    renditions = selectors.public_image_renditions(image_id=image_id)
    if not renditions:
        return _iiif_error(404, "No published image has this address.")
    data = build_image_info(
        image_id=image_id,
        renditions=renditions,
        absolute=absolute_for(request),
        pyramid=selectors.public_image_pyramid(image_id=image_id),
    )
    accept = _accepts_json_ld(request)
    return _json(data, content_type=IIIF_IMAGE_TYPE if "ld" in accept else accept)


@require_safe
def image_file(
    request: HttpRequest,
    image_id: int,
    region: str,
    size: str,
    rotation: str,
    quality: str,
    format: str,
) -> HttpResponse:
    """A tile of the original's pyramid, or one of the sizes info.json lists
    ("w,h" or "max") of the full image: a derivative the pipeline made. Both are
    streamed from storage. Level 0 never resizes: any other request is a 400 or
    a 501, as the Image API says."""
    renditions = selectors.public_image_renditions(image_id=image_id)
    if not renditions:
        return _iiif_error(404, "No published image has this address.")
    sizes = image_sizes(renditions)
    pyramid = selectors.public_image_pyramid(image_id=image_id)
    asked = {"rotation": rotation, "quality": quality, "format": format}
    try:
        check_image_request(region=region, size=size, **asked, full=full_size(sizes, pyramid))
        tile = (
            pyramid
            and is_tile_request(**asked)
            and tile_for_request(region=region, size=size, pyramid=pyramid)
        )
        if tile:
            # Tiles never change under a pyramid's key (a new pyramid gets a new one).
            return _jpeg_response(
                request,
                opener=lambda: tile_path(image_id, pyramid, tile).open("rb"),
                version=f"{pyramid['key']}/{tile}",
                filename=f"{image_id}-{region}-{size}.jpg",
            )
        wanted = requested_size(region=region, size=size, **asked, sizes=sizes)
    except ImageRequestError as error:
        return _iiif_error(error.status, error.detail)
    rendition = next(
        r for r in renditions if (r.width, r.height) == (wanted["width"], wanted["height"])
    )
    return _jpeg_response(
        request,
        opener=lambda: rendition.file.open("rb"),
        # The stored name changes when the file is remade.
        version=rendition.file.name,
        filename=f"{image_id}-{rendition.width}x{rendition.height}.jpg",
    )


def _jpeg_response(request: HttpRequest, *, opener, version: str, filename: str) -> HttpResponse:
    """A stored JPEG, streamed, with an ETag from `version` (a name that changes
    whenever the file does) that does not reveal it, and a download name of
    our own: stored names carry the original's file name."""
    etag = f'"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
    unchanged = not_modified(request, etag=etag, max_age=IMAGE_MAX_AGE)
    if unchanged is not None:
        return unchanged
    try:
        response = FileResponse(opener(), content_type="image/jpeg", filename=filename)
    except FileNotFoundError:
        return _iiif_error(404, "This image file is missing; it will be made again.")
    return cacheable(response, etag=etag, max_age=IMAGE_MAX_AGE)


@require_safe
def object_linked_data_view(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    profile = LINKED_DATA_FORMATS.get(format)
    obj = selectors.object_get_public(slug=slug) if profile else None
    if obj is None:
        raise Http404("No published object has this address.")
    return linked_data_response(request, obj=obj, profile=profile)


@revalidated
def linked_data_response(request: HttpRequest, *, obj, profile: str) -> HttpResponse:
    """The object's JSON-LD, for its .jsonld URLs and for its page URL asked for
    JSON-LD (api/middleware.py)."""
    data = object_linked_data(obj=obj, profile=profile, absolute=absolute_for(request))
    response = _json(data, content_type="application/ld+json")
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def download(request: HttpRequest, filename: str) -> HttpResponse:
    """A file of the current bulk dump (or its manifest), as published, with a
    strong ETag: its SHA-256, as the manifest gives it."""
    found = dumps.published_file(filename)
    if found is None:
        raise Http404("No such file in the current open data download.")
    path, sha256 = found
    etag = f'"{sha256}"'
    unchanged = not_modified(request, etag=etag, max_age=METADATA_MAX_AGE)
    if unchanged is not None:
        return unchanged
    response = FileResponse(
        path.open("rb"),
        as_attachment=filename != dumps.MANIFEST_NAME,
        filename=filename,
        content_type=dumps.content_type(filename),
    )
    return cacheable(response, etag=etag, max_age=METADATA_MAX_AGE)
