"""What the home page shows. A fixed number of queries whatever the number of
featured stories and objects: the cards of every story in one query, every object
(chosen, the day's selection, recent additions) in another; the daily selection is
computed once a day, the stories index found once per publish."""

import datetime
import random

from django.core.cache import cache
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from foundation.page_cache import MEMORIES, OBJECTS, page_cache_depends_on
from foundation.picking import pick_at_random
from foundation.sample import shows_sample_content
from objects.selectors import (
    has_image_condition,
    live_objects,
    object_total,
    objects_with_listing_images,
    recent_object_ids,
)
from stories.selectors import live_stories, stories_index, story_cards

from .models import HomeFeaturedObject, HomeFeaturedStory, HomePage

FROM_THE_ARCHIVE_SIZE = 4
LATEST_STORIES = 3
DAY_SECONDS = 24 * 60 * 60


def home_stories(*, home: HomePage) -> tuple[list, list]:
    """The featured stories in staff's order, and the latest others: one query for
    the cards of both (and the card's prefetches, once)."""
    chosen = HomeFeaturedStory.objects.filter(page=home)
    latest = live_stories().exclude(pk__in=chosen.values("story_id")).values("pk")[:LATEST_STORIES]
    stories = story_cards(
        live_stories()
        .filter(Q(pk__in=chosen.values("story_id")) | Q(pk__in=latest))
        .annotate(home_order=Subquery(chosen.filter(story=OuterRef("pk")).values("sort_order")[:1]))
    )
    featured = sorted(
        (story for story in stories if story.home_order is not None),
        key=lambda story: story.home_order,
    )
    return featured, [story for story in stories if story.home_order is None]


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


def home_page_context(*, home: HomePage) -> dict:
    """Featured stories and objects, the day's selection from the archive, the
    latest stories, and the collection's recent additions and size.

    Nothing is shown twice: the latest stories leave out the featured ones, the
    day's selection the objects staff chose, and the recent additions both."""
    # Recent additions and the total follow the collection's lists; the newest
    # memories are shown too. Stories and calls change with a publish (every page).
    page_cache_depends_on(OBJECTS, MEMORIES)
    featured, latest = home_stories(home=home)
    chosen_ids = list(
        HomeFeaturedObject.objects.filter(page=home)
        .order_by("sort_order")
        .values_list("object_id", flat=True)
    )
    daily_ids = [
        pk for pk in from_the_archive_ids(day=timezone.localdate()) if pk not in chosen_ids
    ]
    recent_ids = recent_object_ids(exclude=[*chosen_ids, *daily_ids])
    # Every object on the page, with its images, in one go.
    loaded = objects_with_listing_images(ids=[*chosen_ids, *daily_ids, *recent_ids])
    chosen, daily, recent = (
        [loaded[pk] for pk in ids if pk in loaded] for ids in (chosen_ids, daily_ids, recent_ids)
    )
    return {
        "featured_stories": featured,
        "featured_objects": chosen,
        "from_the_archive": daily,
        "latest_stories": latest,
        "stories_index": stories_index(),
        "highlights": recent,
        "object_total": object_total(),
        "shows_sample_data": shows_sample_content(featured, latest, chosen, daily, recent),
    }
