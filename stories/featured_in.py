"""Objects -> stories: the published stories an object appears in ("Featured in"
on the object page), read from Wagtail's reference index, which Wagtail rewrites
whenever a page is saved, published or deleted, so no story is ever scanned here."""

from django.core.cache import cache
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from wagtail.models import ReferenceIndex

from foundation.page_cache import SITE, page_cache_generation
from foundation.view_restrictions import public_pages
from objects.models import CollectionObject

from .models import StoryPage
from .selectors import story_cards

FEATURED_IN_LIMIT = 12
# How long the ids of objects stories feature are kept at most: a story's publish
# drops them sooner (forget_featured_object_ids, stories/signal_handlers.py), other
# changes to pages with the site generation that keys them.
FEATURED_OBJECTS_CACHE_SECONDS = 600
FEATURED_OBJECT_IDS_KEY = "stories:featured-object-ids:{generation}"


def _from_stories(references):
    # The source's content type matched by join, not looked up: no query of its own.
    return references.filter(content_type__app_label="stories", content_type__model="storypage")


def story_object_references():
    """The reference index's rows of stories referencing collection objects."""
    return _from_stories(ReferenceIndex.objects).filter(
        to_content_type__app_label="objects", to_content_type__model="collectionobject"
    )


def featured_object_ids() -> frozenset[int]:
    """Ids of every object a story references: one query for the whole site, kept
    until a page is published, so most object pages (featured in no story) ask the
    reference index nothing."""
    key = FEATURED_OBJECT_IDS_KEY.format(generation=page_cache_generation(SITE))
    ids = cache.get(key)
    if ids is None:
        references = story_object_references().values_list("to_object_id", flat=True)
        ids = frozenset(int(pk) for pk in references)
        cache.set(key, ids, FEATURED_OBJECTS_CACHE_SECONDS)
    return ids


def forget_featured_object_ids() -> None:
    """Whenever a story's references may have changed."""
    generation = page_cache_generation(SITE)
    if generation:
        cache.delete(FEATURED_OBJECT_IDS_KEY.format(generation=generation))


def stories_featuring(*, obj: CollectionObject) -> list[StoryPage]:
    """Published stories whose blocks reference `obj`, newest first: one query.

    The references are Wagtail's own `get_references_to(obj)`. It looks up the
    object's content type, which Django keeps for the life of the process: one
    query on a new process's first featured object page, none after (objects not
    featured in any story never get here). The index holds what each story
    publishes; unpublished stories are left out by `live`.
    """
    if obj.pk not in featured_object_ids():
        return []
    references = _from_stories(ReferenceIndex.get_references_to(obj)).annotate(
        story_id=Cast("object_id", BigIntegerField())
    )
    stories = public_pages(StoryPage.objects.live()).filter(pk__in=references.values("story_id"))
    return list(story_cards(stories.newest_first())[:FEATURED_IN_LIMIT])
