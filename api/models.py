"""The Open data page: what can be downloaded and reused, and under which terms.

Editors write the explanations in Wagtail; the list of downloads comes from
the current bulk dump's manifest (api/dumps.py), so it is never out of date.
"""

from django.urls import reverse
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class OpenDataPage(Page):
    introduction = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="Who the data is for and what it contains.",
    )
    licences = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="The licence of the metadata, and how images' rights statements apply.",
    )
    formats = RichTextField(
        blank=True,
        features=TEXT_FEATURES,
        help_text="The file formats, the API and IIIF, and how to use them.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("licences"),
        FieldPanel("formats"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    template = "api/open_data_page.html"
    # The footer links the first published page declaring this (pages/links.py).
    site_link = "open_data"
    # Linked from the site footer and pages.links.site_page_url("open_data").
    site_link = "open_data"

    class Meta:
        verbose_name = "open data page"

    def get_context(self, request, *args, **kwargs):
        from .dumps import MANIFEST_NAME, current_manifest

        context = super().get_context(request, *args, **kwargs)
        manifest = current_manifest()
        if manifest is not None:
            for entry in manifest["files"]:
                entry["url"] = reverse("opendata:download", args=[entry["name"]])
        context.update(
            {
                "dump": manifest,
                "dump_manifest_url": reverse("opendata:download", args=[MANIFEST_NAME]),
                "api_docs_url": reverse("api:openapi-view"),
                "api_schema_url": reverse("api:openapi-json"),
                "api_root_url": reverse("api:object_list"),
            }
        )
        return context
