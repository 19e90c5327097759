"""What a story's publish, unpublish or new revision retires from the page cache
(foundation/page_cache.py): the pages that loaded the story (its own page, the cards
showing it on home, the listing and the pages of the objects it features, each
recorded as they render: `story:<id>`), the lists of stories (`stories`: home), and
the pages of the objects its body features, which list "Featured in" stories. Other
pages stay cached.

Object pages read the stories that feature them from Wagtail's reference index,
which a worker rewrites after the publish commits: once it has, the story's pages
and the pages of the objects it now references are retired again
(`page_cache_scope(references=...)`, run by pages/signal_handlers.py after the job).
"""

from django.db import transaction

from foundation.page_cache import STORIES, page_cache_record_tags
from foundation.page_cache_changes import page_cache_scope

from .featured_in import forget_featured_object_ids, story_object_references
from .models import StoryPage


def _indexed_object_ids(story_pk) -> set[int]:
    """The objects the reference index says the story features (as of its last
    rewrite)."""
    rows = story_object_references().filter(object_id=str(story_pk))
    return {int(pk) for pk in rows.values_list("to_object_id", flat=True)}


def _body_object_ids(story: StoryPage) -> set[int]:
    """The objects the story's body names (its raw data: no query)."""
    found = set()
    for block in story.body.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "collection_object":
            found.add(value.get("object"))
        elif block.get("type") == "object_gallery":
            for item in value.get("objects") or []:
                found.add(item.get("value") if isinstance(item, dict) else item)
    return {int(pk) for pk in found if pk}


def _object_tags(object_ids) -> list[str]:
    return [f"object:{pk}" for pk in sorted(object_ids)]


def _story_tags_for(story: StoryPage, before, update_fields) -> list[str]:
    """Published, unpublished or a new revision published: the objects it featured
    (the index, until the worker rewrites it) and those its body features now."""
    forget_featured_object_ids()
    transaction.on_commit(forget_featured_object_ids)
    objects = _indexed_object_ids(story.pk) | _body_object_ids(story)
    return [f"story:{story.pk}", STORIES, *_object_tags(objects)]


def _story_references_tags(pk) -> list[str]:
    """The reference index rewritten for the story: the objects it features now
    (their pages' "Featured in"), and its own pages (those that showed it beside an
    object it no longer features)."""
    forget_featured_object_ids()
    return [f"story:{pk}", *_object_tags(_indexed_object_ids(pk))]


def register_story_scope() -> None:
    """Called by the site's page cache wiring (pages/signal_handlers.py)."""
    page_cache_record_tags(StoryPage, "story")
    page_cache_scope(StoryPage, tags_for=_story_tags_for, references=_story_references_tags)
