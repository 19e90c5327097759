"""Admin views for staff: which images are waiting or failed, and retrying them."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permissions import policy_registry

from .models import ArchiveImage
from .selectors import archive_image_status_counts
from .services import archive_image_queue_processing, archive_image_reset_for_processing

Status = ArchiveImage.ProcessingStatus


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
