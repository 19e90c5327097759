"""Calls for memories: a question staff ask the public ("Were you at the 1985
pantomime?"), answered through the memory form.

A call is a Wagtail page under the "Calls for memories" index. It opens when it
is published (Wagtail's scheduled publishing: "Go-live date") and closes at its
own `closes_at`, not by expiry: a closed call stays online, says it is closed
and keeps listing its responses. Responses are memories that record the call.
"""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from foundation.view_restrictions import public_pages

from .feeds import CallResponsesFeed
from .page_context import call_listing_context, call_page_context

DECADES = [(year, f"{year}s") for year in range(1890, 2040, 10)]


class CallQuerySet(PageQuerySet):
    def open(self, *, now=None):
        """Live calls whose closing date has not passed."""
        now = now or timezone.now()
        return self.live().filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))


class CallIndexPage(RoutablePageMixin, Page):
    """/calls/: the open calls first, then the closed ones."""

    introduction = models.TextField(blank=True, max_length=600)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["calls.CallPage"]
    max_count = 1

    @path("")
    def listing(self, request):
        context = self.get_context(request)
        calls = public_pages(CallPage.objects.live().child_of(self), within=self).order_by(
            "-first_published_at", "-pk"
        )
        context.update(call_listing_context(calls=calls))
        return self.render(request, context_overrides=context)


class CallPage(RoutablePageMixin, Page):
    """One call. The page title is the question."""

    context = models.TextField(
        max_length=800, help_text="A few sentences: why you ask, what you hope to hear."
    )
    closes_at = models.DateTimeField(
        "closing date",
        null=True,
        blank=True,
        help_text="After this the call says it is closed and takes no more responses; "
        "its page and its responses stay online. Blank: open until unpublished.",
    )
    image = models.ForeignKey(
        "images.ArchiveImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt_text = models.CharField(
        max_length=300, blank=True, help_text="What the image shows, for people who cannot see it."
    )
    objects_asked_about = ParentalManyToManyField(
        "objects.CollectionObject",
        blank=True,
        related_name="calls",
        verbose_name="objects",
        help_text="The call is shown on these objects' pages; responses record the object.",
    )
    productions = ParentalManyToManyField("objects.Production", blank=True, related_name="calls")
    places = ParentalManyToManyField("objects.Place", blank=True, related_name="calls")
    decade = models.PositiveSmallIntegerField(null=True, blank=True, choices=DECADES)
    is_sample_content = models.BooleanField(
        default=False, help_text="Demo content, labelled as a sample on the site."
    )

    objects = PageManager.from_queryset(CallQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("context"),
        FieldPanel("closes_at"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt_text")], heading="Image"),
        MultiFieldPanel(
            [
                FieldPanel("objects_asked_about"),
                FieldPanel("productions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("places", widget=forms.CheckboxSelectMultiple),
                FieldPanel("decade"),
            ],
            heading="What it asks about",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("context")]

    parent_page_types = ["calls.CallIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "call for memories"
        verbose_name_plural = "calls for memories"

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt_text:
            raise forms.ValidationError(
                {"image_alt_text": "Describe the image for people who cannot see it."}
            )
        if self.closes_at and self.go_live_at and self.closes_at <= self.go_live_at:
            raise forms.ValidationError(
                {"closes_at": "The closing date must come after the go-live date."}
            )

    def is_open(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.live and (self.closes_at is None or self.closes_at > now)

    @property
    def question(self) -> str:
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(call_page_context(call=self))
        return context

    @path("")
    def detail(self, request):
        return self.render(request)

    @path("feed/")
    def feed(self, request):
        return CallResponsesFeed(call=self)(request)
