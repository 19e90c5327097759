from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .counting import wagtail_page_kind

admin_urlpatterns = [
    path("", views.impact_index, name="index"),
    path("report/", views.impact_print, name="report"),
    path("csv/<slug:slug>/", views.impact_csv, name="csv"),
]


@hooks.register("register_admin_urls")
def register_impact_urls():
    return [path("impact/", include((admin_urlpatterns, "impact_admin"), namespace="impact_admin"))]


class ImpactMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_impact_menu_item():
    return ImpactMenuItem(
        "Impact", reverse("impact_admin:index"), name="impact", icon_name="table", order=900
    )


@hooks.register("register_permissions")
def register_impact_permission():
    # So administrators can give the Impact area to a group in Settings > Groups.
    return Permission.objects.filter(content_type__app_label="impact", codename="view_impact")


@hooks.register("before_serve_page")
def label_page_kind(page, request, serve_args, serve_kwargs):
    """Tell the counting middleware what kind of Wagtail page this is (a story, the
    open data page...), without a query: the page is already loaded."""
    request.impact_page_kind = wagtail_page_kind(page)
