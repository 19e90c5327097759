from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from bac_collection.health import healthz
from images.views import public_media

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("collection/", include("objects.urls")),
    path("search/", include("search.urls")),
    path("", include("api.urls")),
    path("memories/", include("memories.urls")),
    path("identify/", include("identifications.urls")),
    path("", include("sharing.urls")),
    path("", include("impact.urls")),
    path("", include("pages.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Only image renditions (metadata stripped), by file name: nothing under /media/
    # is read by a path from the request, and originals and recordings live in
    # private storage. Memory photos only while their memory is approved. Larger
    # deployments serve media/images/ from a proxy or object storage instead
    # (a memory photo's renditions are deleted when it is rejected or withdrawn).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", public_media)]

urlpatterns += [path("", include(wagtail_urls))]
