"""The stories and objects staff feature on the home page, in their order: rows of
HomePage's inline panels, kept apart from the page model so that home/selectors.py,
which the page calls, reads them without importing the page."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from objects.choosers import ObjectChooserWidget


class HomeFeaturedStory(Orderable):
    page = ParentalKey("home.HomePage", on_delete=models.CASCADE, related_name="featured_stories")
    story = models.ForeignKey("stories.StoryPage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("story")]


class HomeFeaturedObject(Orderable):
    page = ParentalKey("home.HomePage", on_delete=models.CASCADE, related_name="featured_objects")
    object = models.ForeignKey(
        "objects.CollectionObject", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("object", widget=ObjectChooserWidget)]
