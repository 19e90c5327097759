from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from bac_collection.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("collection/", include("objects.urls")),
    path("search/", include("search.urls")),
    path("", include("api.urls")),
    path("memories/", include("memories.urls")),
    path("", include("pages.urls")),
]

if settings.DEBUG:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
elif settings.SERVE_MEDIA:
    # Only the public derivatives (metadata stripped): originals keep their EXIF
    # and GPS and are never served. Larger deployments serve media/images/ from a
    # proxy or object storage instead.
    # Derivative file names change whenever their image does, so browsers may keep them.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>images/.*)$",
            cache_control(max_age=60 * 60 * 24 * 365, public=True, immutable=True)(serve),
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
