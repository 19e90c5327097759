"""How stories appear in the site search (docs/search.md)."""

from foundation.text import plain_text
from foundation.view_restrictions import public_pages
from search.documents import SearchDocument
from search.registry import Facet, IndexedRecord, SearchKind, register

from .models import StaffProfile, StoryPage, Theme
from .selectors import story_cards


class StoryDocument(SearchDocument):
    """Stories need only the common fields."""


@register
class StoryKind(SearchKind):
    name = "stories"
    label = "Stories"
    hit_label = "Story"
    model = StoryPage
    document = StoryDocument
    facets = [Facet("theme", "Theme")]
    dependencies = {Theme: "themes", StaffProfile: "authors"}
    updated_field = "last_published_at"
    hit_template = "stories/includes/story_search_hit.html"

    def public_queryset(self):
        stories = public_pages(StoryPage.objects.live())
        return stories.prefetch_related("themes", "authors").order_by("pk")

    def to_record(self, story: StoryPage) -> IndexedRecord:
        authors = [author.name for author in story.authors.all()]
        themes = list(story.themes.all())
        summary = [f"{story.publication_date:%-d %B %Y}", ", ".join(authors)]
        return IndexedRecord(
            pk=story.pk,
            title=story.title,
            url=story.url,
            summary=" · ".join(part for part in summary if part),
            names=authors,
            keywords=[theme.name for theme in themes],
            description=plain_text(f"{story.standfirst} {story.body_text()}"),
            facets={"theme": [(theme.slug, theme.name) for theme in themes]},
            has_image=story.hero_image_id is not None,
        )

    def records_for_hits(self, pks):
        """With what their cards show (stories.selectors.story_cards)."""
        stories = public_pages(StoryPage.objects.live()).filter(pk__in=pks)
        return {story.pk: story for story in story_cards(stories)}
