"""What the home page shows. A fixed number of queries whatever the number of
featured stories and objects: the cards of every story in one query, every object
(chosen, the day's selection, recent additions) in another; the daily selection is
computed once a day, the stories index found once per publish, and the cards kept as
a fragment until what they show changes.

HomePage calls home_page_context from its get_context (home/models.py), so this
module never imports the page model: the rows staff chose are in home/featured.py."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from foundation.compiled_queries import compiled_once
from foundation.fragment_cache import cached_fragment
from foundation.page_cache import (
    MEMORIES,
    OBJECTS,
    SITE,
    STORIES,
    page_cache_depends_on,
    page_cache_generation,
)
from foundation.picking import pick_at_random
from foundation.sample import shows_sample_content
from foundation.view_restrictions import public_pages, restricted_paths
from objects.related import CARD_COLUMNS
from objects.selectors import (
    HIGHLIGHTS_LIMIT,
    has_image_condition,
    live_objects,
    load_listing_images,
    object_total,
)
from stories.models import StoryIndexPage, StoryPage
from stories.selectors import story_cards

from .featured import HomeFeaturedObject, HomeFeaturedStory

if TYPE_CHECKING:
    from .models import HomePage

FROM_THE_ARCHIVE_SIZE = 4
LATEST_STORIES = 3
DAY_SECONDS = 24 * 60 * 60
EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


def stories_index(*, home: HomePage) -> StoryIndexPage | None:
    """The stories listing (the first published and public), kept until a page is
    published or a restriction changes."""
    key = f"stories:index:{home.pk}:{page_cache_generation(SITE)}"
    index = cache.get(key)
    if index is None:
        indexes = public_pages(StoryIndexPage.objects.live(), within=home)
        index = indexes.order_by("path").first() or False
        cache.set(key, index, DAY_SECONDS)
    return index or None


def home_stories(*, home: HomePage) -> tuple[list, list]:
    """The featured stories in staff's order, and the latest others: one query for
    the cards of both (and the card's prefetches, once), compiled once per process
    (and once more for each set of restricted sections, which it leaves out)."""

    def build():
        chosen = HomeFeaturedStory.objects.filter(page_id=home.pk)
        live = public_pages(StoryPage.objects.live(), within=home).newest_first()
        latest = live.exclude(pk__in=chosen.values("story_id")).values("pk")[:LATEST_STORIES]
        return story_cards(
            live.filter(Q(pk__in=chosen.values("story_id")) | Q(pk__in=latest)).annotate(
                home_order=Subquery(chosen.filter(story=OuterRef("pk")).values("sort_order")[:1])
            ),
            card_object_images=False,
        )

    stories = list(compiled_once(("home:stories", home.pk, restricted_paths()), build))
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


def home_objects(*, home: HomePage, daily_ids: list[int]) -> tuple[list, list, list]:
    """The objects staff chose (in their order), the day's selection and the recent
    additions, live ones only: one query for the three, the chosen and the recent
    ones picked by subqueries, compiled once per process and day. Nothing twice: the
    day's selection leaves out the chosen objects, the recent additions both.

    The three lists' ids are one UNION the objects are joined to by primary key: an
    OR of the three `IN` conditions cannot use an index, so PostgreSQL filtered the
    whole table (58 ms at 100,000 objects, against 8 ms)."""

    def build():
        chosen = HomeFeaturedObject.objects.filter(page_id=home.pk)
        recent = (
            live_objects()
            # The column the triggers keep, not the images' EXISTS: walking the newest
            # objects, a row read each rather than an index probe each (1.4 -> 0.5 ms).
            .filter(has_image=True)
            .exclude(pk__in=chosen.values("object_id"))
            .exclude(pk__in=daily_ids)
            .order_by("-first_published_at", "-id")
            .values("pk")[:HIGHLIGHTS_LIMIT]
        )
        # No slice or ordering inside the UNION's parts: SQLite refuses them there.
        shown = (
            chosen.order_by()
            .values("object_id")
            .union(
                live_objects().filter(pk__in=daily_ids).order_by().values("pk"),
                live_objects().filter(pk__in=recent).order_by().values("pk"),
                all=True,
            )
        )
        in_order = chosen.filter(object=OuterRef("pk")).order_by("sort_order")
        return (
            live_objects()
            .filter(pk__in=shown)
            .order_by()
            .only(*CARD_COLUMNS, "first_published_at")
            .annotate(home_order=Subquery(in_order.values("sort_order")[:1]))
        )

    loaded = list(compiled_once(("home:objects", home.pk, tuple(daily_ids)), build))
    featured = sorted((obj for obj in loaded if obj.home_order is not None), key=_home_order)
    others = {obj.pk: obj for obj in loaded if obj.home_order is None}
    daily = [others.pop(pk) for pk in daily_ids if pk in others]
    # The subquery's order, newest first (PostgreSQL puts a missing date first).
    recent_first = sorted(others.values(), key=_newest_first, reverse=True)
    return featured, daily, recent_first


def _home_order(obj) -> int:
    return obj.home_order


def _newest_first(obj) -> tuple:
    published = obj.first_published_at
    return (published is None, published or EARLIEST, obj.pk)


# Home's sections of cards, in the page's order (templates/home/includes/<name>.html).
CARD_SECTIONS = (
    "featured_stories",
    "featured_objects",
    "from_the_archive",
    "latest_stories",
    "highlights",
)


def home_page_context(*, home: HomePage, request: HttpRequest) -> dict:
    """Featured stories and objects, the day's selection from the archive, the
    latest stories, and the collection's recent additions and size.

    The cards are kept as a fragment until a story or an object they show, or the
    collection's lists, change (and at the end of the day, for the day's selection):
    a memory approved leaves them, and the page renders its memories only."""
    # Recent additions and the total follow the collection's lists; the newest
    # memories and stories are shown too. Calls change with a publish (every page).
    page_cache_depends_on(OBJECTS, MEMORIES, STORIES)
    day = timezone.localdate()
    index = stories_index(home=home)
    sections = cached_fragment(
        f"home:cards:{home.pk}:{day.isoformat()}",
        lambda: home_card_sections(home=home, day=day, index=index, request=request),
        shows=[OBJECTS, STORIES],
    )
    return {
        "sections": sections,
        "object_total": object_total(),
        "shows_sample_data": sections["shows_sample_data"],
    }


def home_card_sections(
    *, home: HomePage, day: datetime.date, index: StoryIndexPage | None, request: HttpRequest
) -> dict:
    """Each section of cards as HTML (empty when it has none), and whether any card
    shows sample content. Nothing is shown twice: the latest stories leave out the
    featured ones, the day's selection the objects staff chose, and the recent
    additions both."""
    featured, latest = home_stories(home=home)
    chosen, daily, recent = home_objects(home=home, daily_ids=from_the_archive_ids(day=day))
    # The images of every object on the page, the story cards' too, in one go.
    card_objects = [story.card_object for story in [*featured, *latest] if story.card_object]
    load_listing_images([*chosen, *daily, *recent, *card_objects])
    context = {
        # Cards link with {% pageurl %}: the site's root paths are read once for all.
        "request": request,
        "featured_stories": featured,
        "featured_objects": chosen,
        "from_the_archive": daily,
        "latest_stories": latest,
        "highlights": recent,
        "stories_index": index,
    }
    return {
        **{name: render_to_string(f"home/includes/{name}.html", context) for name in CARD_SECTIONS},
        "shows_sample_data": shows_sample_content(featured, latest, chosen, daily, recent),
    }
