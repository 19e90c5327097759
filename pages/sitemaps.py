"""The XML sitemap: Wagtail's pages (site pages, stories...) plus every public object
and every maker, production, subject and place page that lists one. Each section is
split into files of at most 50,000 URLs, all listed by the index at /sitemap.xml."""

from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailPageSitemap

from objects.models import CollectionObject, Maker, Place, Production, Subject
from objects.selectors import public_terms

URLS_PER_FILE = 50_000


class PageSitemap(WagtailPageSitemap):
    limit = URLS_PER_FILE


class ObjectSitemap(Sitemap):
    limit = URLS_PER_FILE

    def items(self):
        return CollectionObject.objects.filter(live=True).only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ListingSitemap(Sitemap):
    """Pages that list objects (a maker's, a production's...), only where they list at
    least one public object: empty pages are not worth a search engine's visit."""

    limit = URLS_PER_FILE

    def __init__(self, model):
        self.model = model

    def items(self):
        return public_terms(self.model).only("slug").order_by("pk")


SITEMAPS = {
    "pages": PageSitemap,
    "objects": ObjectSitemap(),
    "makers": ListingSitemap(Maker),
    "productions": ListingSitemap(Production),
    "subjects": ListingSitemap(Subject),
    "places": ListingSitemap(Place),
}
