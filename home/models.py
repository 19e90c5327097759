from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from foundation.routing import route_by_url_path
from foundation.view_restrictions import SkipsViewRestrictionsWhenNone

from .featured import HomeFeaturedObject, HomeFeaturedStory
from .selectors import home_page_context

__all__ = ["HomeFeaturedObject", "HomeFeaturedStory", "HomePage"]

FEATURED_LIMIT = 6


class HomePage(SkipsViewRestrictionsWhenNone, Page):
    """The front door: stories and objects chosen by staff, a daily selection
    from the archive and the latest stories."""

    introduction = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        InlinePanel(
            "featured_stories",
            heading="Featured stories",
            label="Story",
            max_num=FEATURED_LIMIT,
            help_text="Shown first, in this order. Unpublished stories are skipped.",
        ),
        InlinePanel(
            "featured_objects",
            heading="Featured objects",
            label="Object",
            max_num=FEATURED_LIMIT,
            help_text="Objects to show off. Unpublished objects are skipped.",
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(home=self, request=request))
        return context

    def route(self, request, path_components):
        # Every page of the site is below home: found in two queries, not two a level.
        found = route_by_url_path(self, request, path_components)
        return found if found is not None else super().route(request, path_components)
