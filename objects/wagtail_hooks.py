"""The collection in the Wagtail admin: one "Collection" menu with objects and
the makers, productions, subjects and places they are catalogued against."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .admin_views import MERGE_LOG_ACTION, ObjectTypeMergeView
from .choosers import object_chooser_viewset
from .models import CollectionObject, Maker, ObjectType, Place, Production, Subject
from .selectors import images_prefetch


class ThumbnailColumn(Column):
    cell_template_name = "objects/admin/thumbnail_cell.html"

    def __init__(self, **kwargs):
        super().__init__("primary_image", label="Image", width="90px", **kwargs)


class CollectionObjectViewSet(SnippetViewSet):
    model = CollectionObject
    icon = "image"
    menu_label = "Objects"
    list_display = [
        ThumbnailColumn(),
        "title",
        "accession_number",
        "object_type",
        "production",
        LiveStatusTagColumn(),
        UpdatedAtColumn(),
    ]
    list_filter = ["object_type", "live", "production", "is_sample_content"]
    list_per_page = 50
    # The admin searches the database directly (objects are not a Wagtail search
    # index; the public search has its own, see search/).
    search_fields = ["title", "accession_number", "date_display"]
    search_backend_name = None
    ordering = ["-updated_at"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "accession_number",
        "title",
        "object_type",
        "description",
        "date_display",
        "date_earliest",
        "date_latest",
        "production",
        "subjects",
        "places",
        "materials",
        "dimensions",
        "credit_line",
        "rights_uri",
        "content_warning",
        "is_sample_content",
        "view_count",
        "slug",
    ]
    copy_view_enabled = True

    def get_queryset(self, request):
        return CollectionObject.objects.select_related(
            "production", "object_type"
        ).prefetch_related(images_prefetch(usages=("thumbnail",)))


class ObjectTypeIndexView(IndexView):
    merge_url_name = None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            url = reverse(self.merge_url_name, args=[instance.pk])
            buttons.append(
                MenuItem("Merge into another type", url, icon_name="resubmit", priority=25)
            )
        return buttons


class ObjectTypeEditView(EditView):
    merge_url_name = None

    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        url = reverse(self.merge_url_name, args=[self.object.pk])
        return [*buttons, Button("Merge into another type", url, icon_name="resubmit", priority=15)]


class ObjectTypeViewSet(SnippetViewSet):
    """The object types staff add, rename and merge. Terms an import added
    are flagged, so staff can find them with the filter and review them."""

    model = ObjectType
    icon = "list-ul"
    menu_label = "Object types"
    list_display = ["name", "slug", BooleanColumn("added_by_import", label="Added by import")]
    list_filter = ["added_by_import"]
    search_fields = ["name", "alternative_labels"]
    search_backend_name = None
    index_view_class = ObjectTypeIndexView
    edit_view_class = ObjectTypeEditView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(merge_url_name=self.get_url_name("merge"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(merge_url_name=self.get_url_name("merge"), **kwargs)

    @property
    def merge_view(self):
        return ObjectTypeMergeView.as_view(
            index_url_name=self.get_url_name("list"), edit_url_name=self.get_url_name("edit")
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("merge/<str:pk>/", self.merge_view, name="merge")]


class MakerViewSet(SnippetViewSet):
    model = Maker
    icon = "user"
    list_display = ["name", "kind", "dates"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None
    inspect_view_enabled = True


class ProductionViewSet(SnippetViewSet):
    model = Production
    icon = "calendar-alt"
    list_display = ["title", "company", "date_display", "venue_space"]
    search_fields = ["title", "company"]
    search_backend_name = None
    inspect_view_enabled = True


class SubjectViewSet(SnippetViewSet):
    model = Subject
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class PlaceViewSet(SnippetViewSet):
    model = Place
    icon = "site"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class CollectionViewSetGroup(SnippetViewSetGroup):
    menu_label = "Collection"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        CollectionObjectViewSet,
        ObjectTypeViewSet,
        MakerViewSet,
        ProductionViewSet,
        SubjectViewSet,
        PlaceViewSet,
    )


register_snippet(CollectionViewSetGroup)


@hooks.register("register_admin_viewset")
def register_object_chooser():
    return object_chooser_viewset


@hooks.register("register_log_actions")
def register_merge_log_action(actions):
    actions.register_action(
        MERGE_LOG_ACTION, "Merge object types", "Another object type was merged into this one"
    )
