from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

app_name = "archive_images"
urlpatterns = [
    path("", views.ImageProcessingReportView.as_view(), name="report"),
    path(
        "results/",
        views.ImageProcessingReportView.as_view(results_only=True),
        name="report_results",
    ),
    path("retry-failed/", views.retry_failed_images, name="retry_failed"),
    path("<int:image_id>/retry/", views.retry_image, name="retry"),
]


@hooks.register("register_admin_urls")
def register_image_processing_urls():
    return [path("image-processing/", include((urlpatterns, app_name), namespace=app_name))]


class ImageProcessingMenuItem(MenuItem):
    def is_shown(self, request):
        return views.image_permission_policy().user_has_permission(request.user, "change")


@hooks.register("register_reports_menu_item")
def register_image_processing_menu_item():
    return ImageProcessingMenuItem(
        "Image processing",
        reverse("archive_images:report"),
        name="image-processing",
        icon_name="image",
        order=800,
    )
