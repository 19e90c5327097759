"""The XML sitemap: Wagtail's pages (site pages, stories...) plus every public object
and every maker, production, subject and place page that lists one. Each section is
split into files of at most 50,000 URLs, all listed by the index at /sitemap.xml."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, QuerySet
from wagtail.contrib.sitemaps import Sitemap as WagtailPageSitemap

from objects.models import CollectionObject, Maker, ObjectMaker, Place, Production, Subject

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

    def __init__(self, model, live_objects: QuerySet):
        self.model = model
        self.live_objects = live_objects  # filtered on OuterRef("pk")

    def items(self):
        return self.model.objects.filter(Exists(self.live_objects)).only("slug").order_by("pk")


def _live(**lookups) -> QuerySet:
    return CollectionObject.objects.filter(live=True, **lookups)


SITEMAPS = {
    "pages": PageSitemap,
    "objects": ObjectSitemap(),
    "makers": ListingSitemap(
        Maker, ObjectMaker.objects.filter(maker=OuterRef("pk"), object__live=True)
    ),
    "productions": ListingSitemap(Production, _live(production=OuterRef("pk"))),
    "subjects": ListingSitemap(Subject, _live(subjects=OuterRef("pk"))),
    "places": ListingSitemap(Place, _live(places=OuterRef("pk"))),
}
