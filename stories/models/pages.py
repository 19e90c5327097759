import math
from collections.abc import Iterable

from django import forms
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from foundation.text import plain_text
from foundation.view_restrictions import SkipsViewRestrictionsWhenNone, public_pages
from objects.models import CollectionObject
from stories.blocks import StoryStreamBlock
from stories.feeds import StoryFeed
from stories.selectors import story_listing_context, story_page_context

from .themes import Theme

WORDS_PER_MINUTE = 200


def reading_minutes(text: str) -> int:
    return max(1, math.ceil(len(text.split()) / WORDS_PER_MINUTE))


def _texts(value):
    """Every string in a block's stored value (text, captions, quotes, dates),
    skipping the ids of chosen objects and images, which are numbers."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        if "type" in value and "value" in value:  # a block in a stream or list
            if value["type"] != "video":  # a video's value is its address
                yield from _texts(value["value"])
        else:
            for item in value.values():
                yield from _texts(item)
    elif isinstance(value, Iterable):  # lists, and the body's RawDataView
        for item in value:
            yield from _texts(item)


def _object_ids(body):
    """The ids of the collection objects the body shows, in order, read from
    its stored JSON (a gallery's list items are {"type": "item", "value": id})."""
    for block in body:
        if block["type"] == "collection_object":
            yield block["value"].get("object")
        elif block["type"] == "object_gallery":
            for item in block["value"].get("objects", []):
                yield item["value"] if isinstance(item, dict) else item


class StoryQuerySet(PageQuerySet):
    def newest_first(self):
        """The order stories are shown in everywhere: the listing, the feed, home
        and an object's "featured in"."""
        return self.order_by("-publication_date", "-pk")


class StoryIndexPage(SkipsViewRestrictionsWhenNone, RoutablePageMixin, Page):
    """The list of stories, filterable by theme, with a feed at feed/."""

    introduction = models.TextField(blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    def stories(self):
        """The stories it lists and its feed carries: its published children, newest first."""
        return public_pages(StoryPage.objects.live().child_of(self), within=self).newest_first()

    @path("")
    def listing(self, request):
        context = self.get_context(request)
        context.update(
            story_listing_context(
                stories=self.stories(), themes=Theme.objects.all(), params=request.GET
            )
        )
        return self.render(request, context_overrides=context)

    @path("feed/")
    def feed(self, request):
        return StoryFeed(index=self)(request)


class StoryPage(SkipsViewRestrictionsWhenNone, Page):
    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences that open the story and sell it."
    )
    hero_image = models.ForeignKey(
        "images.ArchiveImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The image at the top of the story and on its share card.",
    )
    hero_alt_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the image shows, for people who cannot see it.",
    )
    authors = ParentalManyToManyField("stories.StaffProfile", blank=True, related_name="stories")
    themes = ParentalManyToManyField("stories.Theme", blank=True, related_name="stories")
    publication_date = models.DateField(
        default=timezone.localdate, help_text="The date shown on the story and used to order it."
    )
    body = StreamField(StoryStreamBlock())
    reading_time = models.PositiveSmallIntegerField(
        default=1, editable=False, help_text="Minutes, worked out from the text when saved."
    )
    is_sample_content = models.BooleanField(
        default=False, help_text="Demo content, labelled as a sample on the site."
    )
    # The first object the body shows, kept on save: a story without a hero image
    # shows its picture on its card, and cards load it in one query.
    card_object = models.ForeignKey(
        "objects.CollectionObject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # A copy of what the body references: Wagtail's reference index (which gives
    # objects their "Featured in" stories) already counts the body.
    card_object.wagtail_reference_index_ignore = True

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text")], heading="Hero image"
        ),
        FieldPanel("body"),
    ]
    promote_panels = Page.promote_panels + [
        FieldPanel("publication_date"),
        FieldPanel("authors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(StoryQuerySet)()

    class Meta:
        indexes = [models.Index(fields=["publication_date"], name="story_publication_date")]

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt_text:
            raise forms.ValidationError(
                {"hero_alt_text": "Describe the hero image for people who cannot see it."}
            )

    def save(self, *args, **kwargs):
        self.reading_time = reading_minutes(f"{self.standfirst} {self.body_text()}")
        self.card_object_id = self.first_object_id()
        return super().save(*args, **kwargs)

    def first_object_id(self) -> int | None:
        """The first object of the body that still exists."""
        ids = [pk for pk in _object_ids(self.body.raw_data) if pk]
        existing = set(CollectionObject.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return next((pk for pk in ids if pk in existing), None)

    def body_text(self) -> str:
        """The words of the story's body, as plain text, read from its stored
        JSON without loading the objects and images it references."""
        return " ".join(plain_text(text) for text in _texts(self.body.raw_data))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(story_page_context(story=self, request=request))
        return context
