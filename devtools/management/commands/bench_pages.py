"""python manage.py bench_pages [--requests 20] [--pages 1000] [--seconds 120] [--rate 50]

Run after bench_collection (and bench_stories), on the benchmark database (it
refuses another without --force: it approves memories and edits objects), with a
real Redis cache (REDIS_URL) and tasks run in-process (no CELERY_BROKER_URL), so
every request goes through the whole middleware stack and the real page cache.

1. For each page type (object, browse, search, misspelt search, home, story):
   server time (p50, p95) and queries, cold (the page and its parts rendered: a page
   cache miss, after a visit to another page of its kind, as on a running site), kept
   (a page cache miss whose parts a first visit kept: foundation/fragment_cache.py)
   and warm (the same pages again: hits where the page cache keeps them).
2. The page cache hit ratio under a mixed workload: anonymous reads spread evenly
   over --pages pages (mostly object pages, then browse, search, maker, production
   and story pages, home) while, every 10 s, a moderator approves a memory, a
   curator publishes an edit of an object (--edit: its description, or its title,
   which also moves it in the title-sorted lists) and an editor publishes a new
   revision of a story (its standfirst; none when no story is published). Time is
   simulated: --rate reads per second for --seconds, so the changes come every
   rate x 10 reads, whatever speed this machine serves them at. Every page is
   visited once before counting. 95% of requests are those anonymous reads, the
   other 5% staff views (never cached), left out of the ratio.
"""

import random
import statistics
import time
import uuid
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from devtools.benchmarks.pages import BENCH_PRODUCTION_TITLE, p95
from memories.models import AgeGroup, Licence, Memory, MemoryContact, Relationship
from memories.services import consent_wording_current, memory_approve
from objects.models import CollectionObject, Maker, Production
from stories.models import StoryPage

SEARCH_WORDS = [
    "portrait", "landscape", "river", "study", "sketch", "head", "figure", "sea", "church",
    "tree", "woman", "man", "house", "bridge", "night", "garden", "street", "city", "boat",
    "hill", "mountain", "window", "flowers", "horse", "dog", "lake", "field", "rain", "sun",
    "moon", "snow", "winter", "summer", "harbour", "mill", "castle", "abbey", "cottage",
    "bather", "dancer", "mother", "child", "girl", "boy", "king", "queen", "soldier",
    "ship", "shore", "cliff",
]  # fmt: skip
MISSPELT = {"portrait": "portriat", "landscape": "landscpae", "river": "rivre", "sketch": "skecth"}
CHANGE_EVERY_SECONDS = 10
DAY = 24 * 60 * 60
STAFF_SHARE = 0.05
BENCH_EMAIL_DOMAIN = "bench-pages.invalid"


def _kind(url: str) -> str:
    for prefix, kind in (
        ("/collection/objects/", "object"),
        ("/collection/makers/", "maker"),
        ("/collection/productions/", "production"),
        ("/collection/", "browse"),
        ("/search/", "search"),
        ("/stories/", "story"),
    ):
        if url.startswith(prefix):
            return kind
    return url


class Command(BaseCommand):
    help = "Cold and warm server time and queries per page type; the hit ratio under changes."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Pages per type timed.")
        parser.add_argument("--pages", type=int, default=1000)
        parser.add_argument("--seconds", type=int, default=120, help="Simulated time.")
        parser.add_argument("--rate", type=int, default=50, help="Anonymous reads per second.")
        parser.add_argument("--edit", choices=["description", "title"], default="description")
        parser.add_argument("--skip-types", action="store_true", help="Only the workload.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run on a database bench_collection did not load (it approves memories "
            "and edits objects there).",
        )

    def handle(self, *args, **options):
        if settings.PAGE_CACHE_SECONDS <= 0:
            raise CommandError("The page cache is off (PAGE_CACHE_SECONDS=0).")
        if (
            not options["force"]
            and not Production.objects.filter(title=BENCH_PRODUCTION_TITLE).exists()
        ):
            raise CommandError(
                "It approves memories and edits objects: run it on bench_collection's "
                "database, or pass --force."
            )
        ids = list(CollectionObject.objects.filter(live=True).values_list("pk", flat=True))
        if len(ids) < 20:
            raise CommandError("Too few published objects: run bench_collection first.")
        self.rng = random.Random(2026)
        self.client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0], HTTP_ACCEPT_ENCODING="gzip")
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"{len(ids):,} objects, cache {backend}, database {connection.vendor} "
            "(figures from a shared machine: compare within a run)."
        )
        if not options["skip_types"]:
            self._page_types(ids, options["requests"])
        self._workload(ids, options)

    # --- 1. Each page type, cold and warm --------------------------------------

    def _page_types(self, ids, n):
        sample = CollectionObject.objects.filter(pk__in=self.rng.sample(ids, min(len(ids), n + 1)))
        objects = [obj.get_absolute_url() for obj in sample]
        stories = [s.url for s in StoryPage.objects.live().order_by("?")[: n + 1]]
        words = SEARCH_WORDS[: n + 1]
        types = {
            "object page": objects,
            "browse": [f"/collection/?page={page}" for page in range(1, n + 2)],
            "search": [f"/search/?q={word}" for word in words],
            "misspelt search": [
                f"/search/?q={MISSPELT.get(word, word[:-2] + word[-1] + word[-2])}"
                for word in words
            ],
            # One page each: variants of its address are rendered afresh.
            "home": [f"/?variant={i}" for i in range(n + 1)],
            "story page": stories,
        }
        self.stdout.write(
            f"\n{'page, ' + str(n) + ' each':<22}{'cold p50':>9}{'p95':>7}{'queries':>9}"
            f"{'kept p50':>10}{'p95':>7}{'queries':>9}"
            f"{'warm p50':>10}{'p95':>7}{'queries':>9}{'hits':>6}"
        )
        for name, urls in types.items():
            if len(urls) < 2:
                self.stdout.write(f"{name:<22}  (none in this database)")
                continue
            # Addresses no earlier run asked for: each a page cache miss, with nothing
            # bumped (the site-wide caches stay as a running site has them). Cold: the
            # page and its parts rendered (no fragment kept: FRAGMENT_CACHE_SECONDS=0
            # for that pass). Kept: the same pages at new addresses, a page cache miss
            # whose parts the cold pass kept (foundation/fragment_cache.py).
            cold_urls, kept_urls = (self._fresh(urls) for _ in range(2))
            self.client.get(cold_urls[0])  # another page of its kind: site-wide caches warm
            with override_settings(FRAGMENT_CACHE_SECONDS=0):
                cold = [self._timed(url) for url in cold_urls[1:]]
            for url in cold_urls[1:]:  # the parts kept, as the first visit would keep them
                self.client.get(self._fresh([url])[0])
            kept = [self._timed(url) for url in kept_urls[1:]]
            warm = [self._timed(url) for url in kept_urls[1:]]
            hits = sum(1 for *_rest, state in warm if state == "hit")
            self.stdout.write(
                f"{name:<22}{self._figures(cold)}{self._figures(kept)}{self._figures(warm)}"
                f" {hits:>4}"
            )

    @staticmethod
    def _fresh(urls: list[str]) -> list[str]:
        run = uuid.uuid4().hex[:8]
        return [f"{url}{'&' if '?' in url else '?'}run={run}" for url in urls]

    def _timed(self, url):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = self.client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise CommandError(f"{url}: status {response.status_code}")
        return elapsed, len(queries), response.get("X-Page-Cache", "not stored")

    @staticmethod
    def _figures(results) -> str:
        times = [ms for ms, *_rest in results]
        counts = sorted({count for _ms, count, _state in results})
        spread = f"{counts[0]}-{counts[-1]}" if len(counts) > 1 else str(counts[0])
        return f"{statistics.median(times):>9.1f}{p95(times):>7.1f}{spread:>9}"

    # --- 2. The mixed workload ---------------------------------------------------

    def _workload(self, ids, options):
        pages = self._pages(ids, options["pages"])
        memories = self._pending_memories(
            [int(url_id) for url_id in pages["object ids"]],
            min(len(pages["object ids"]), options["seconds"] // CHANGE_EVERY_SECONDS + 1),
        )
        urls = pages["urls"]
        edited = self.rng.sample(pages["object ids"], len(memories))
        stories = list(StoryPage.objects.live().order_by("pk")[: len(memories)])
        # Each change publishes one of them again (the same few in turn, if fewer).
        republished = [stories[n % len(stories)] for n in range(len(memories))] if stories else []
        moderator = self._staff()
        staff = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        staff.force_login(moderator)
        # Time is simulated: within the simulated seconds no page would reach its
        # PAGE_CACHE_SECONDS, however long this machine takes to serve the reads.
        with override_settings(PAGE_CACHE_SECONDS=max(settings.PAGE_CACHE_SECONDS, DAY)):
            self._run(urls, pages, (memories, edited, republished), moderator, staff, options)

    def _run(self, urls, pages, changing, moderator, staff, options):
        memories, edited, republished = changing
        for url in urls:  # every page visited once: the cache as a running site has it
            self.client.get(url)

        reads = options["rate"] * options["seconds"]
        every = options["rate"] * CHANGE_EVERY_SECONDS
        counted = {"hit": 0, "miss": 0, "not stored": 0}
        missed = Counter()
        staff_views, changes = 0, 0
        started = time.perf_counter()
        for n in range(reads):
            if n and n % every == 0:
                self._change(memories[changes], edited[changes], moderator, options["edit"])
                if republished:
                    self._republish(republished[changes], moderator)
                changes += 1
            if self.rng.random() < STAFF_SHARE / (1 - STAFF_SHARE):
                staff.get(self.rng.choice(urls))
                staff_views += 1
            url = self.rng.choice(urls)
            state = self.client.get(url).get("X-Page-Cache", "not stored")
            counted[state] += 1
            if state == "miss":
                missed[_kind(url)] += 1
        elapsed = time.perf_counter() - started
        ratio = counted["hit"] / reads
        self.stdout.write(
            f"\nMixed workload: {len(urls):,} pages ({pages['mix']}), {reads:,} anonymous reads "
            f"({options['rate']}/s for {options['seconds']} s simulated) and {staff_views:,} "
            f"staff views, in {elapsed:.0f} s; every {CHANGE_EVERY_SECONDS} s a memory "
            f"approved, an object's {options['edit']} edited"
            f"{' and a story published again' if republished else ''} ({changes} of each).\n"
            f"Page cache hit ratio: {ratio:.1%} ({counted['hit']:,} hits, {counted['miss']:,} "
            f"misses, {counted['not stored']:,} never stored, e.g. searches for a term "
            "not yet common today). Goal: at least 90%.\n"
            f"Misses by page: {', '.join(f'{kind} {n}' for kind, n in missed.most_common())}."
        )

    def _pages(self, ids, total) -> dict:
        """The site's pages in the proportions visitors meet them."""
        makers = list(Maker.objects.exclude(object_makers=None).order_by("?")[:50])
        productions = list(Production.objects.exclude(collection_objects=None).order_by("?")[:30])
        stories = [s.url for s in StoryPage.objects.live().order_by("?")[:50]]
        fixed = [
            "/",
            "/stories/",
            "/memories/",
            *(f"/collection/?page={page}" for page in range(1, 61)),
            *(f"/collection/?page={page}&sort=title" for page in range(1, 21)),
            *(f"/collection/?decade={decade}" for decade in range(1800, 2000, 10)),
            *(f"/search/?q={word}" for word in SEARCH_WORDS),
            *(maker.get_absolute_url() for maker in makers),
            *(production.get_absolute_url() for production in productions),
            *stories,
        ]
        object_ids = self.rng.sample(ids, min(len(ids), max(1, total - len(fixed))))
        by_id = CollectionObject.objects.in_bulk(object_ids)
        object_urls = [by_id[pk].get_absolute_url() for pk in object_ids]
        mix = (
            f"{len(object_urls)} object pages, 100 browse, {len(SEARCH_WORDS)} search, "
            f"{len(makers)} maker, {len(productions)} production, {len(stories)} story, 3 more"
        )
        return {"urls": fixed + object_urls, "object ids": object_ids, "mix": mix}

    def _pending_memories(self, object_ids, count) -> list[Memory]:
        """Memories waiting for review, on objects whose pages are in the workload."""
        wording = consent_wording_current()
        memories = []
        for obj_id in self.rng.sample(object_ids, count):
            memory = Memory.objects.create(
                text="I saw this in the hall the winter it was shown, and never forgot it.",
                display_name="Bench visitor",
                relationship=Relationship.AUDIENCE,
                object_id=obj_id,
                status=Memory.Status.PENDING,
                consent_wording=wording,
                consented_at=timezone.now(),
                licence=Licence.CC_BY,
                age_group=AgeGroup.ADULT,
            )
            MemoryContact.objects.create(
                memory=memory, email=f"{uuid.uuid4().hex}@{BENCH_EMAIL_DOMAIN}"
            )
            memories.append(memory)
        return memories

    def _staff(self):
        user, _ = get_user_model().objects.get_or_create(
            username="bench-pages-moderator", defaults={"is_staff": True, "is_superuser": True}
        )
        return user

    def _change(self, memory, object_id, moderator, field) -> None:
        memory_approve(memory=memory, user=moderator)
        obj = CollectionObject.objects.get(pk=object_id)
        if field == "title":
            obj.title = f"{obj.title} (retitled)"
        else:
            obj.description = f"<p>Catalogued again on {timezone.now():%d %B %Y}.</p>"
        obj.save_revision(user=moderator).publish(user=moderator)

    def _republish(self, story, moderator) -> None:
        story = StoryPage.objects.get(pk=story.pk)
        story.standfirst = f"{story.standfirst.split(' (')[0]} (revised {timezone.now():%H:%M:%S})"
        story.save_revision(user=moderator).publish(user=moderator)
