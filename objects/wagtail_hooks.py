"""The collection in the Wagtail admin: one "Collection" menu with objects and
the makers, productions, subjects and places they are catalogued against."""

from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CollectionObject, Maker, Place, Production, Subject
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
    list_filter = ["object_type", "live", "production", "is_sample_data"]
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
        "is_sample_data",
        "view_count",
        "slug",
    ]
    copy_view_enabled = True

    def get_queryset(self, request):
        return CollectionObject.objects.select_related("production").prefetch_related(
            images_prefetch(usages=("thumbnail",))
        )


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
        MakerViewSet,
        ProductionViewSet,
        SubjectViewSet,
        PlaceViewSet,
    )


register_snippet(CollectionViewSetGroup)
