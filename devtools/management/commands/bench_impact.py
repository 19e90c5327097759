"""python manage.py bench_impact [--views 5000] [--agents 500] [--pairs 40] [--requests 200]

What impact counting costs (needs Redis, REDIS_URL):

1. Counting cost per page view: impact_record on object page views from a mix of
   user agents (some far commoner than others, as on a real site, each new one
   parsed and checked for crawlers once), addresses and referrers: p50, p95, p99 of
   what a view waits for. Then what sending those counts to Redis costs, per view:
   the buffer is sent every BATCH views here (a second's views at 200 a second),
   where the site's sending thread sends once a second.
2. Object page throughput from the page cache (a hit, the commonest page view),
   counting off and on side by side: --pairs pairs of rounds of --requests requests,
   one round each way per pair, interleaved (off-on, then on-off, so a drift in the
   machine's load favours neither), the same user agents both ways. Each pair gives
   the ratio of the two rates, by the clock and by this process's CPU time (the
   sending thread's included); the report gives their median with its 95%
   confidence interval (distribution-free, from the order statistics), and says
   whether the drop meets the goal (at most 5%: the whole interval within it),
   misses it (the whole interval beyond it), or is not settled by this run.

Counts go to Redis keys of a day far off (BENCH_DAY), deleted at the end: the day's
real counts are untouched and nothing reaches the database.
"""

import datetime
import gc
import math
import random
import statistics
import threading
import time
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve

from devtools.benchmarks.pages import p95
from impact import buffer, counting
from impact.models import PageKind
from impact.store import impact_redis
from objects.models import CollectionObject

BENCH_DAY = datetime.date(2099, 1, 1)
BATCH = 200
GOAL_MS = 1.0
GOAL_DROP = 0.05
BROWSERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{n} like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.{n} Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel {n}) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.{n}.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.{n}.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.{n} Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:{n}.0) Gecko/20100101 Firefox/{n}.0",
    "Mozilla/5.0 (iPad; CPU OS 17_{n} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.{n} Mobile/15E148 Safari/604.1",
]
REFERRERS = ["", "", "https://www.google.com/", "https://schools.example.org/lesson/4"]


class _Stopwatch:
    """Adds up the time spent in the functions it wraps, from any thread."""

    def __init__(self):
        self.seconds = 0.0
        self.lock = threading.Lock()

    def wrap(self, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                with self.lock:
                    self.seconds += elapsed

        return timed


def median_interval(samples: list[float]) -> tuple[float, float, float]:
    """The median of `samples` and a 95% confidence interval for it that assumes
    nothing of their distribution: the order statistics k and n + 1 - k, with k the
    largest for which a Binomial(n, 1/2) falls below k with probability <= 2.5%
    (the whole range below 9 samples, too few to narrow it)."""
    ordered = sorted(samples)
    n = len(ordered)
    k, below = 0, 0.0
    while k < n // 2:
        below += math.comb(n, k) / 2**n  # P(Binomial(n, 1/2) = k)
        if below > 0.025:
            break
        k += 1
    low, high = (ordered[k - 1], ordered[n - k]) if k else (ordered[0], ordered[-1])
    return statistics.median(ordered), low, high


def verdict_on_drop(low: float, high: float) -> str:
    """What an interval of on/off throughput ratios says of the goal."""
    if low >= 1 - GOAL_DROP:
        return f"meets the goal (at most {GOAL_DROP:.0%} fewer)"
    if high < 1 - GOAL_DROP:
        return f"misses the goal (at most {GOAL_DROP:.0%} fewer)"
    return f"not settled by this run (goal: at most {GOAL_DROP:.0%} fewer; run more --pairs)"


class Command(BaseCommand):
    help = "Impact counting: cost per page view, and object page throughput with it on and off."

    def add_arguments(self, parser):
        parser.add_argument("--views", type=int, default=5000)
        parser.add_argument("--agents", type=int, default=500)
        parser.add_argument("--pairs", type=int, default=40)
        parser.add_argument("--requests", type=int, default=200)

    def handle(self, *args, views, agents, pairs, requests, **options):
        if pairs < 1 or requests < 1:
            raise CommandError("--pairs and --requests must be at least 1.")
        if impact_redis() is None:
            raise CommandError("Impact counting needs Redis: set REDIS_URL.")
        if settings.PAGE_CACHE_SECONDS <= 0:
            raise CommandError("The page cache is off (PAGE_CACHE_SECONDS=0).")
        obj = CollectionObject.objects.filter(live=True).order_by("pk").first()
        if obj is None:
            raise CommandError("No published objects: load some first (bench_collection).")
        user_agents = [
            BROWSERS[n % len(BROWSERS)].format(n=n // len(BROWSERS) + 1) for n in range(agents)
        ]
        # Zipf-like: the nth commonest user agent is seen about 1/n as often as the first.
        weights = [1 / (n + 1) for n in range(agents)]
        with mock.patch.object(counting, "_local_day", lambda: BENCH_DAY):
            try:
                with mock.patch.object(buffer, "_send_quietly", lambda: None):
                    times, sending = self._counting_cost(obj, views, user_agents, weights)
                ratios, page_ms, share = self._throughput(
                    obj, pairs, requests, user_agents, weights
                )
            finally:
                buffer.impact_buffer_send()
                self._forget_bench_day()

        distinct = len(set(random.Random(1).choices(user_agents, weights, k=views)))
        self.stdout.write(
            f"Impact counting, per page view ({views:,} object page views, {distinct} user agents):"
        )
        verdict = "meets" if p95(times) <= GOAL_MS else "misses"
        self.stdout.write(
            f"  p50 {statistics.median(times):.3f} ms   p95 {p95(times):.3f} ms   "
            f"p99 {statistics.quantiles(times, n=100)[-1]:.3f} ms   "
            f"({verdict} the goal: p95 <= {GOAL_MS:g} ms)"
        )
        self.stdout.write(
            f"  sending to Redis: {sending / views * 1000:.1f} µs a view "
            f"(one pipeline for {BATCH} views: {sending / (views / BATCH):.2f} ms)"
        )
        self.stdout.write(
            f"Object page from the page cache, counting on against off ({pairs} interleaved "
            f"pairs of rounds of {requests} requests; median of the pairs' ratios, 95% "
            "confidence interval):"
        )
        for clock, label in (("wall", "by the clock"), ("cpu", "by CPU time")):
            median, low, high = median_interval(ratios[clock])
            self.stdout.write(
                f"  {label:13} {median - 1:+.1%} requests/s (interval {low - 1:+.1%} to "
                f"{high - 1:+.1%}): {verdict_on_drop(low, high)}"
            )
        self.stdout.write(
            f"  time spent counting in the rounds with counting on (timed in them, so the "
            f"machine's load moves it least): {share:.1%} of their time, "
            f"{verdict_on_drop(1 - share, 1 - share)}"
        )
        self.stdout.write(
            f"  counting's p50 is {statistics.median(times) / page_ms:.1%} of a cached page's "
            f"server time ({page_ms:.2f} ms, the median round with counting off)"
        )

    def _counting_cost(self, obj, views, user_agents, weights) -> tuple[list[float], float]:
        """Each view's wait (ms), and the total time spent sending the buffer (ms)."""
        chooser = random.Random(1)
        factory = RequestFactory(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        match = resolve(obj.get_absolute_url())
        response = HttpResponse("<html></html>", content_type="text/html; charset=utf-8")
        response.impact_kind = PageKind.OBJECT
        response.counted_object_id = obj.pk
        times, sending = [], 0.0
        for n in range(views):
            request = factory.get(
                obj.get_absolute_url(),
                HTTP_USER_AGENT=chooser.choices(user_agents, weights)[0],
                HTTP_REFERER=chooser.choice(REFERRERS),
                REMOTE_ADDR=f"198.51.{chooser.randrange(256)}.{chooser.randrange(256)}",
            )
            request.resolver_match = match
            started = time.perf_counter()
            counting.impact_record(request=request, response=response)
            times.append((time.perf_counter() - started) * 1000)
            if n % BATCH == BATCH - 1:
                started = time.perf_counter()
                buffer.impact_buffer_send()
                sending += (time.perf_counter() - started) * 1000
        return times, sending

    def _throughput(self, obj, pairs, requests, user_agents, weights):
        """{clock: each pair's rate with counting on over its rate with counting off};
        the median time (ms) of a cached page with counting off; and the share of the
        rounds with counting on spent counting (its sending thread included)."""
        chooser = random.Random(2)
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        url = obj.get_absolute_url()
        client.get(url, HTTP_USER_AGENT=user_agents[0])  # into the page cache
        ratios = {"wall": [], "cpu": []}
        off_ms, on_seconds = [], 0.0
        counting_time = _Stopwatch()
        recorders = {"off": lambda **kwargs: None, "on": counting_time.wrap(counting.impact_record)}
        sending = counting_time.wrap(buffer.impact_buffer_send)
        with mock.patch.object(buffer, "impact_buffer_send", sending):
            for pair in range(pairs):
                agents = chooser.choices(user_agents, weights, k=requests)
                rates = {}
                for mode in ("off", "on") if pair % 2 == 0 else ("on", "off"):
                    rates[mode] = self._round(client, url, agents, recorders[mode])
                for clock in ratios:
                    ratios[clock].append(rates["on"][clock] / rates["off"][clock])
                off_ms.append(1000 / rates["off"]["wall"])
                on_seconds += requests / rates["on"]["wall"]
        return ratios, statistics.median(off_ms), counting_time.seconds / on_seconds

    @staticmethod
    def _round(client, url, agents, recorder) -> dict[str, float]:
        """Requests a second for one round, by the clock and by CPU time. Each starts
        after a full garbage collection: Django's test client leaves a few objects
        behind per request (its signal receivers' finalizers), and the full collection
        they trigger every few thousand requests, 0.1 s and more, would otherwise land
        in whichever round happens to allocate last (more often the one counting)."""
        gc.collect()
        with mock.patch.object(counting, "impact_record", recorder):
            wall, cpu = time.perf_counter(), time.process_time()
            for user_agent in agents:
                if client.get(url, HTTP_USER_AGENT=user_agent)["X-Page-Cache"] != "hit":
                    raise CommandError(f"{url} was not served from the page cache.")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        # CPU time is counted in ticks: a round too short to be measured counts as one.
        return {"wall": len(agents) / wall, "cpu": len(agents) / max(cpu, 1e-3)}

    def _forget_bench_day(self) -> None:
        redis = impact_redis()
        keys = list(redis.scan_iter(f"impact:{BENCH_DAY.isoformat()}:*"))
        if keys:
            redis.delete(*keys)
