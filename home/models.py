from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from foundation.routing import route_by_url_path
from foundation.view_restrictions import SkipsViewRestrictionsWhenNone
from objects.choosers import ObjectChooserWidget

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

    # Built by home/selectors.py, which reads these models: HomeConfig.ready() hands
    # it over, so the models import nothing that imports them.
    page_context_builder = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.page_context_builder(home=self))
        return context

    def route(self, request, path_components):
        # Every page of the site is below home: found in two queries, not two a level.
        found = route_by_url_path(self, request, path_components)
        return found if found is not None else super().route(request, path_components)


class HomeFeaturedStory(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_stories")
    story = models.ForeignKey("stories.StoryPage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("story")]


class HomeFeaturedObject(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_objects")
    object = models.ForeignKey(
        "objects.CollectionObject", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("object", widget=ObjectChooserWidget)]
