"""Site pages (about, contact, privacy notice, accessibility statement...) and the
site setting that says which page plays which part in the footer.

Other apps never hard-code these addresses: they call `pages.links.site_page_url`.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class SitePage(Page):
    """A page of plain prose about the site itself: what it is, how to reach us, how
    it treats your data and how accessible it is."""

    introduction = models.TextField(
        blank=True,
        help_text="One or two sentences shown under the title and used when the page is shared.",
    )
    body = RichTextField(features=BODY_FEATURES)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When the content was last checked. Shown on the page; required in spirit for "
        "the privacy notice and the accessibility statement.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "pages.SitePage"]
    subpage_types = ["pages.SitePage"]

    template = "pages/site_page.html"

    class Meta:
        verbose_name = "site page"


@register_setting(icon="list-ul")
class SiteLinks(BaseSiteSetting):
    """Which page is which: the footer links to these, and other apps link to them
    through `pages.links.site_page_url` (e.g. the memory form links the privacy notice)."""

    about_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="privacy notice",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="accessibility statement",
    )
    open_data_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="open data page",
    )

    panels = [
        HelpPanel(
            content="The footer links to these pages, in this order, while they are published. "
            "Forms that collect personal data link to the privacy notice chosen here."
        ),
        MultiFieldPanel(
            [
                FieldPanel("about_page"),
                FieldPanel("contact_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("open_data_page"),
            ],
            heading="Footer pages",
        ),
    ]

    class Meta:
        verbose_name = "site links"


class PageCacheEpoch(models.Model):
    """Page cache invalidations that could not reach the cache (Redis was down).

    One row. Pages are cached under the cache's generation *and* this number, which
    every process re-reads every EPOCH_READ_SECONDS (pages/cache.py): a change made
    during a Redis outage still retires the pages cached before it once Redis is back.
    """

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"Page cache epoch {self.value}"
