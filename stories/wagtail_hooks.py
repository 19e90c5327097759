"""Stories in the Wagtail admin: the object chooser, the staff profiles and
themes snippets, and the dashboard panel that shows staff what needs them."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .dashboard import StaffDashboardPanel
from .models import StaffProfile, Theme
from .workflow_messages import replace_wagtail_message


class StaffProfileViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    menu_label = "Authors"
    list_display = ["name", "role"]
    search_fields = ["name", "role"]
    search_backend_name = None


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class StoriesViewSetGroup(SnippetViewSetGroup):
    menu_label = "Story settings"
    menu_icon = "doc-full-inverse"
    menu_order = 210
    items = (StaffProfileViewSet, ThemeViewSet)


register_snippet(StoriesViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_staff_dashboard_panel(request, panels):
    panel = StaffDashboardPanel(request.user)
    if panel.sections:  # a Moderator, say, can act on none of it
        panels.insert(0, panel)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_what_the_review_did(request, page):
    replace_wagtail_message(request, page)
