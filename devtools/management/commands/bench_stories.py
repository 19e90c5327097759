"""python manage.py bench_stories [--stories 500] [--requests 50]

Run after bench_collection, against the same benchmark database (100,000
objects). Adds up to --stories published stories, each with object cards and a
gallery drawn from a pool of objects (so objects are featured in several
stories), features some on the home page, then prints p50/p95 server time and
the query count, served from the page cache as configured and then rendered
every time (as after any change), for a story page, the home page, an object page with its
"featured in" list, the story listing and the feed.

It refuses to run on a database without bench_collection's marker.
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from devtools.benchmarks.pages import BENCH_PRODUCTION_TITLE, time_pages
from home.models import HomeFeaturedObject, HomeFeaturedStory, HomePage
from objects.models import CollectionObject, Production
from stories.models import StoryIndexPage, StoryPage, Theme

SLUG_PREFIX = "bench-story-"
CARDS_PER_STORY = 6
GALLERY_SIZE = 8
POOL_SIZE = 2_000
THEMES = ["Bench theme A", "Bench theme B", "Bench theme C"]
HOME_CARDS = 6


class Command(BaseCommand):
    help = "Add 500 stories to the benchmark database and time the story, home and object pages."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=500)
        parser.add_argument("--requests", type=int, default=50, help="Requests per page.")

    def handle(self, *args, **options):
        if not Production.objects.filter(title=BENCH_PRODUCTION_TITLE).exists():
            raise CommandError("Run bench_collection first, on a benchmark database.")
        rng = random.Random(2026)
        pool = list(
            CollectionObject.objects.filter(live=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:: max(1, CollectionObject.objects.count() // POOL_SIZE)][
                :POOL_SIZE
            ]
        )
        started = time.perf_counter()
        made = self._add_stories(options["stories"], pool, rng)
        self.stdout.write(
            f"Stories: {made} added in {time.perf_counter() - started:.1f} s, "
            f"{StoryPage.objects.live().count():,} published; "
            f"{CollectionObject.objects.count():,} objects."
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._time_pages(options["requests"], pool, rng)

    def _add_stories(self, total: int, pool: list[int], rng: random.Random) -> int:
        index = StoryIndexPage.objects.get()
        themes = [Theme.objects.get_or_create(name=name)[0] for name in THEMES]
        existing = StoryPage.objects.filter(slug__startswith=SLUG_PREFIX).count()
        for n in range(existing, total):
            picked = rng.sample(pool, CARDS_PER_STORY + GALLERY_SIZE)
            body = [{"type": "text", "value": "<p>" + "A benchmark paragraph. " * 40 + "</p>"}]
            body += [
                {"type": "collection_object", "value": {"object": pk, "caption": ""}}
                for pk in picked[:CARDS_PER_STORY]
            ]
            body.append(
                {
                    "type": "object_gallery",
                    "value": {"heading": "Gallery", "objects": picked[CARDS_PER_STORY:]},
                }
            )
            with transaction.atomic():
                story = StoryPage(
                    title=f"Benchmark story {n}",
                    slug=f"{SLUG_PREFIX}{n}",
                    standfirst="A story made by bench_stories.",
                    body=body,
                )
                story.themes.set([themes[n % len(themes)]])
                index.add_child(instance=story)
                story.save_revision().publish()
        home = HomePage.objects.get()
        if not HomeFeaturedStory.objects.filter(page=home).exists():
            stories = StoryPage.objects.filter(slug__startswith=SLUG_PREFIX)[:HOME_CARDS]
            for n, story in enumerate(stories):
                HomeFeaturedStory.objects.create(page=home, story=story, sort_order=n)
            for n, pk in enumerate(pool[:HOME_CARDS]):
                HomeFeaturedObject.objects.create(page=home, object_id=pk, sort_order=n)
        return max(0, total - existing)

    def _time_pages(self, requests: int, pool: list[int], rng: random.Random) -> None:
        stories = list(StoryPage.objects.live().filter(slug__startswith=SLUG_PREFIX))
        featured = CollectionObject.objects.filter(pk__in=rng.sample(pool, requests))
        theme = Theme.objects.get(name=THEMES[0])
        index = StoryIndexPage.objects.get()
        pages = {
            "story page": [story.url for story in rng.sample(stories, min(requests, len(stories)))],
            "home page": ["/"] * requests,
            "object page with featured in": [obj.get_absolute_url() for obj in featured],
            "story listing": [index.url] * requests,
            "story listing, theme, page 5": [f"{index.url}?theme={theme.slug}&page=5"] * requests,
            "stories feed": [f"{index.url}feed/"] * requests,
        }
        # As a visitor meets them: from the page cache when configured (PAGE_CACHE_SECONDS),
        # then rendered every time, as the first view after any change is.
        self._time(pages, f"page cache {settings.PAGE_CACHE_SECONDS} s")
        with override_settings(PAGE_CACHE_SECONDS=0):
            self._time(pages, "rendered every time")

    def _time(self, pages: dict[str, list[str]], heading: str) -> None:
        self.stdout.write(f"{heading}:")
        time_pages(self.stdout, pages)
