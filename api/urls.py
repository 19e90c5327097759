"""Open data addresses: the JSON API, IIIF, linked data and bulk downloads."""

from django.urls import include, path, re_path

from . import views
from .endpoints import api

iiif_patterns = [
    path("objects/<slug:slug>/manifest.json", views.manifest, name="manifest"),
    path("image/<int:image_id>", views.image_base, name="image-base"),
    path("image/<int:image_id>/info.json", views.image_info, name="image-info"),
    path(
        "image/<int:image_id>/<str:region>/<str:size>/<str:rotation>/<str:quality>.<str:format>",
        views.image_file,
        name="image",
    ),
    # Anything else under /iiif/ is a JSON 404: viewers read every answer as JSON.
    re_path(r"", views.iiif_not_found),
]

linked_data_patterns = [
    # Slugs have no dots, so "<slug>.jsonld" and "<slug>.linked-art.json" split cleanly.
    path(
        "collection/objects/<slug:slug>.<str:format>",
        views.object_linked_data_view,
        name="object",
    ),
]

download_patterns = [
    path("open-data/downloads/<str:filename>", views.download, name="download"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    path("iiif/", include((iiif_patterns, "iiif"))),
    path("", include((linked_data_patterns, "linked_data"))),
    path("", include((download_patterns, "opendata"))),
]
