"""What the home page shows. A fixed number of queries whatever the number of
featured stories and objects; the daily selection is computed once a day."""

import datetime
import random

from django.core.cache import cache
from django.db.models import Max, Min, Prefetch
from django.utils import timezone

from foundation.picking import pick_at_random
from objects.models import CollectionObject
from objects.selectors import (
    has_image_condition,
    home_page_highlights,
    images_prefetch,
    live_objects,
)
from pages.cache import page_cache_depends_on
from pages.invalidation import MEMORIES, OBJECTS
from stories.models import StoryIndexPage
from stories.selectors import live_stories, story_cards

from .models import HomeFeaturedObject, HomeFeaturedStory, HomePage

FROM_THE_ARCHIVE_SIZE = 4
LATEST_STORIES = 3
DAY_SECONDS = 24 * 60 * 60


def featured_stories(*, home: HomePage) -> list:
    rows = HomeFeaturedStory.objects.filter(page=home, story__live=True).order_by("sort_order")
    stories = story_cards(live_stories().filter(pk__in=rows.values("story_id")))
    by_id = {story.pk: story for story in stories}
    return [by_id[pk] for pk in rows.values_list("story_id", flat=True) if pk in by_id]


def featured_objects(*, home: HomePage) -> list[CollectionObject]:
    rows = (
        HomeFeaturedObject.objects.filter(page=home, object__live=True)
        .select_related("object", "object__object_type")
        .prefetch_related(
            Prefetch(
                "object__object_images", queryset=images_prefetch(usages=("listing",)).queryset
            )
        )
        .order_by("sort_order")
    )
    return [row.object for row in rows]


def from_the_archive_ids(*, day: datetime.date) -> list[int]:
    """The day's selection of live objects with images: the same all day for
    everyone (seeded by the date), computed once and cached until tomorrow.

    Each pick is one index probe at a seeded random primary key, never a sort
    of the collection.
    """
    key = f"home:from-the-archive:{day.isoformat()}"
    ids = cache.get(key)
    if ids is not None:
        return ids
    candidates = live_objects().filter(has_image_condition()).order_by("pk")
    bounds = candidates.aggregate(lowest=Min("pk"), highest=Max("pk"))
    ids = []
    if bounds["lowest"] is not None:
        seeded = random.Random(day.toordinal())
        for _ in range(FROM_THE_ARCHIVE_SIZE * 3):
            pick = pick_at_random(
                candidates.exclude(pk__in=ids).values_list("pk", flat=True),
                bounds=(bounds["lowest"], bounds["highest"]),
                rng=seeded,
            )
            if pick is None:
                break
            ids.append(pick)
            if len(ids) == FROM_THE_ARCHIVE_SIZE:
                break
    cache.set(key, ids, DAY_SECONDS)
    return ids


def from_the_archive(*, day: datetime.date) -> list[CollectionObject]:
    ids = from_the_archive_ids(day=day)
    by_id = (
        live_objects()
        .filter(pk__in=ids)
        .prefetch_related(images_prefetch(usages=("listing",)))
        .in_bulk()
    )
    return [by_id[pk] for pk in ids if pk in by_id]


def home_page_context(*, home: HomePage) -> dict:
    """Featured stories and objects, the day's selection from the archive, the
    latest stories, and the collection's recent additions and size.

    Nothing is shown twice: the latest stories leave out the featured ones, the
    day's selection the objects staff chose, and the recent additions both."""
    # Recent additions and the total follow the collection's lists; the newest
    # memories are shown too. Stories and calls change with a publish (every page).
    page_cache_depends_on(OBJECTS, MEMORIES)
    featured = featured_stories(home=home)
    latest = list(
        story_cards(live_stories().exclude(pk__in=[story.pk for story in featured]))[
            :LATEST_STORIES
        ]
    )
    stories_index = StoryIndexPage.objects.live().first()
    chosen_objects = featured_objects(home=home)
    chosen_ids = {obj.pk for obj in chosen_objects}
    daily = [obj for obj in from_the_archive(day=timezone.localdate()) if obj.pk not in chosen_ids]
    context = home_page_highlights(exclude=[*chosen_ids, *(obj.pk for obj in daily)])
    context.update(
        {
            "featured_stories": featured,
            "featured_objects": chosen_objects,
            "from_the_archive": daily,
            "latest_stories": latest,
            "stories_index": stories_index,
        }
    )
    context["shows_sample_data"] = (
        context["shows_sample_data"]
        or any(story.is_sample_content for story in featured + latest)
        or any(obj.is_sample_data for obj in chosen_objects + daily)
    )
    return context
