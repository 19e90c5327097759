"""python manage.py bench_versus --ours http://127.0.0.1:8302 --theirs http://127.0.0.1:8301
    [--rounds 50] [--pair NAME OUR_PATH THEIR_PATH ...] [--no-queries]

This site beside another Wagtail site (wagtail/bakerydemo, issue 20), both already
running (gunicorn, production settings), timed over HTTP by one visitor: in each of
--rounds rounds, every row's two pages are requested one after the other, the two
sites alternating (devtools/benchmarks/versus.py). Prints, per row, requests/s on
each site (1 connection), the median time, the ratio ours/theirs, and the queries
our page makes with the page cache off.

The default rows pair our page types with bakerydemo's: an object page with
/breads/anpan/, browse with /breads/, search and a misspelt search with
/search/?q=bread, home with /, a story page with /blog/wild-yeast/. The object (one
with makers that no story refers to, as most) and the story are picked from this
process's database (DATABASE_URL), which must be the one the site under --ours
serves; so are the queries, counted here through Django's test client (the page
rendered, after one render of it to warm the site-wide caches). Whether our site
serves from its page cache is its own setting (PAGE_CACHE_SECONDS where it runs):
run this once with it off, once on.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from wagtail.models import ReferenceIndex

from devtools.benchmarks.versus import Pair, Site, Unreachable, check, interleaved
from objects.models import CollectionObject, ObjectMaker
from stories.models import StoryPage

SEARCH_TERM = "landscape"
MISSPELT_TERM = "landscpae"
BAKERYDEMO = {
    "object page": "/breads/anpan/",
    "browse": "/breads/",
    "search": "/search/?q=bread",
    "misspelt search": "/search/?q=bread",
    "home": "/",
    "story page": "/blog/wild-yeast/",
}


class Command(BaseCommand):
    help = "Requests/s of this site's pages beside another site's, interleaved, 1 connection."

    def add_arguments(self, parser):
        parser.add_argument("--ours", required=True, help="Base URL of this site, running.")
        parser.add_argument("--theirs", required=True, help="Base URL of the other site.")
        parser.add_argument("--rounds", type=int, default=50)
        parser.add_argument(
            "--pair",
            nargs=3,
            action="append",
            metavar=("NAME", "OUR_PATH", "THEIR_PATH"),
            help="A row to time instead of the default ones (repeatable).",
        )
        parser.add_argument(
            "--no-queries", action="store_true", help="Do not count our pages' queries."
        )

    def handle(self, *args, ours, theirs, rounds, pair, no_queries, **options):
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        try:
            ours, theirs = Site.parse(ours), Site.parse(theirs)
        except ValueError as error:
            raise CommandError(str(error)) from error
        pairs = [Pair(*row) for row in pair] if pair else self.default_pairs()
        try:
            check(ours, [p.ours for p in pairs])
            check(theirs, [p.theirs for p in pairs])
        except Unreachable as error:
            raise CommandError(f"Cannot measure: {error}. Start both sites first.") from error
        queries = {} if no_queries else self.queries(pairs)
        for p in pairs:
            self.stdout.write(f"{p.name}: {ours.base}{p.ours} vs {theirs.base}{p.theirs}")
        try:
            timings = interleaved(ours, theirs, pairs, rounds)
        except Unreachable as error:
            raise CommandError(f"Stopped: {error}.") from error
        self.stdout.write(
            f"{rounds} rounds, 1 connection; requests/s (median ms); queries: ours, page "
            f"cache off, counted on database {connection.settings_dict['NAME']}"
        )
        self.stdout.write(
            f"{'page':<18}{'ours req/s':>12}{'(ms)':>8}{'theirs req/s':>14}{'(ms)':>8}"
            f"{'ratio':>8}{'queries':>9}"
        )
        for p in pairs:
            mine, other = timings[p.name]
            self.stdout.write(
                f"{p.name:<18}{mine.per_second:>12.1f}{mine.p50_ms:>8.1f}"
                f"{other.per_second:>14.1f}{other.p50_ms:>8.1f}"
                f"{mine.per_second / other.per_second:>7.1f}x{queries.get(p.name, '-'):>9}"
            )

    def default_pairs(self) -> list[Pair]:
        # A typical object: it has makers and nothing (no story) refers to it, as most.
        referred = ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(CollectionObject)
        ).values_list("to_object_id", flat=True)
        obj = (
            CollectionObject.objects.filter(
                live=True, pk__in=ObjectMaker.objects.values("object_id")
            )
            .exclude(pk__in=[int(pk) for pk in referred])
            .order_by("pk")
        )
        middle = obj.count() // 2
        story = StoryPage.objects.live().order_by("pk").first()
        if not middle or story is None:
            raise CommandError(
                "This database lacks published objects with makers or a published story: "
                "run bench_collection and bench_stories on it, or give --pair rows."
            )
        ours = {
            "object page": obj[middle].get_absolute_url(),
            "browse": "/collection/",
            "search": f"/search/?q={SEARCH_TERM}",
            "misspelt search": f"/search/?q={MISSPELT_TERM}",
            "home": "/",
            "story page": story.url,
        }
        return [Pair(name, ours[name], BAKERYDEMO[name]) for name in BAKERYDEMO]

    def queries(self, pairs: list[Pair]) -> dict[str, int]:
        """Our pages' queries, rendered (page cache off) after one warming render."""
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        counts = {}
        with override_settings(PAGE_CACHE_SECONDS=0):
            for p in pairs:
                client.get(p.ours)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(p.ours)
                if response.status_code != 200:
                    raise CommandError(
                        f"{p.ours} answers HTTP {response.status_code} on this process's "
                        f"database ({connection.settings_dict['NAME']}): is it the one the "
                        "site under --ours serves?"
                    )
                counts[p.name] = len(captured.captured_queries)
        return counts
