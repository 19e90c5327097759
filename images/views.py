"""The public media view (renditions by file name), and admin views for staff:
which images are waiting or failed, and retrying them."""

import re

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

from .access import restricted_image_public
from .models import ArchiveImage, ArchiveRendition
from .selectors import archive_image_status_counts
from .services import archive_image_reset_for_processing
from .tasks import archive_image_queue_processing

Status = ArchiveImage.ProcessingStatus

# A rendition's file name as Wagtail and the pipeline write them (ASCII letters,
# digits, dots, hyphens, underscores): no folder, no backslash, no leading dot.
RENDITION_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
# A staff scan's rendition names change whenever their content does: keep for a year.
SCAN_CACHE = {"public": True, "max_age": 60 * 60 * 24 * 365, "immutable": True}
# A memory photo's can be withdrawn (rejection, withdrawal): browsers check again soon.
MEMORY_PHOTO_CACHE = {"public": True, "max_age": 300}


@require_safe
def public_media(request, path):
    """A rendition under /media/images/, looked up by its file name; anything else
    under /media/ is a 404. Nothing is read by path from the request, so no
    traversal reaches another file: originals and recordings live in private
    storage anyway (bac_collection/storage.py). A memory photo is shown only
    while its memory is approved; until then only its moderators and image
    editors see it, and nothing keeps a copy."""
    folder, _, name = path.partition("/")
    if folder != "images" or ".." in name or not RENDITION_NAME.fullmatch(name):
        raise Http404("No such image.")
    rendition = (
        ArchiveRendition.objects.select_related("image__collection")
        .filter(file=f"images/{name}")
        .first()
    )
    if rendition is None:
        raise Http404("No such image.")
    image = rendition.image
    public = restricted_image_public(image)
    if public is None:
        cache = SCAN_CACHE
    elif public:
        cache = MEMORY_PHOTO_CACHE
    elif _may_preview(request.user, image):
        cache = {"private": True, "no_store": True}
    else:
        raise Http404("No such image.")
    try:
        response = FileResponse(rendition.file.open("rb"))
    except FileNotFoundError:
        raise Http404("No such image.") from None
    patch_cache_control(response, **cache)
    return response


def _may_preview(user, image) -> bool:
    """Moderators review photos before they are public; image editors see them in the admin."""
    return user.has_perm("memories.change_memory") or (
        image_permission_policy().user_has_any_permission_for_instance(
            user, ["change", "choose"], image
        )
    )


def image_permission_policy():
    """Wagtail's own policy for images (collections, ownership)."""
    return policy_registry.get_by_type(ArchiveImage)


class ImageProcessingFilterSet(WagtailFilterSet):
    processing_status = django_filters.ChoiceFilter(
        label="Status", choices=Status.choices, empty_label="Not ready (any)"
    )

    class Meta:
        model = ArchiveImage
        fields = ["processing_status"]


class ImageProcessingReportView(ReportView):
    """Images that are not (yet) ready, newest first, with the reason for failures."""

    page_title = "Image processing"
    header_icon = "image"
    index_url_name = "archive_images:report"
    index_results_url_name = "archive_images:report_results"
    template_name = "images/admin/processing_report.html"
    filterset_class = ImageProcessingFilterSet
    permission_required = "change"
    list_export = ["title", "processing_status", "processing_error", "created_at"]
    columns = [
        TitleColumn("title", label="Image", url_name="wagtailimages:edit"),
        StatusTagColumn("get_processing_status_display", label="Status", primary=False),
        Column("processing_error", label="Problem"),
        DateColumn("created_at", label="Uploaded"),
    ]

    @property
    def permission_policy(self):
        return image_permission_policy()

    def get_queryset(self):
        images = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return images.order_by("-created_at")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.request.GET.get("processing_status"):
            queryset = queryset.exclude(processing_status=Status.READY)
        return queryset

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["status_counts"] = archive_image_status_counts()
        return context


@require_POST
def retry_image(request, image_id):
    image = get_object_or_404(ArchiveImage, pk=image_id)
    if not image_permission_policy().user_has_permission_for_instance(
        request.user, "change", image
    ):
        raise PermissionDenied
    archive_image_reset_for_processing(image=image)
    archive_image_queue_processing(image_id=image.pk)
    messages.success(request, f"“{image.title}” has been queued for processing again.")
    return redirect(_next_url(request, default=reverse("wagtailimages:edit", args=[image.pk])))


@require_POST
def retry_failed_images(request):
    policy = image_permission_policy()
    failed = policy.instances_user_has_permission_for(request.user, "change").filter(
        processing_status=Status.FAILED
    )
    count = 0
    for image in failed.only("pk"):
        archive_image_reset_for_processing(image=image)
        archive_image_queue_processing(image_id=image.pk)
        count += 1
    messages.success(request, f"{count} failed image(s) queued for processing again.")
    return redirect("archive_images:report")


def _next_url(request, *, default: str) -> str:
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return next_url
    return default
