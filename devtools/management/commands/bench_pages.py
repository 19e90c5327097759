"""python manage.py bench_pages [--requests 100]

Server time of the object page through the whole middleware stack (security
headers, compression, page cache), with the page cache cold (a miss: the view
renders) and warm (a hit: the stored page is served), on the objects already in the
configured database (run after bench_collection, or on any loaded archive).
"""

import random
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from devtools.benchmarks.pages import p95
from objects.models import CollectionObject
from pages.cache import page_cache_bump


class Command(BaseCommand):
    help = "Object page server time with the page cache cold and warm."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100)

    def handle(self, *args, requests, **options):
        if settings.PAGE_CACHE_SECONDS <= 0:
            raise CommandError("The page cache is off (PAGE_CACHE_SECONDS=0).")
        ids = list(CollectionObject.objects.filter(live=True).values_list("pk", flat=True)[:50_000])
        if not ids:
            raise CommandError("No published objects: load some first (bench_collection).")
        urls = [
            obj.get_absolute_url()
            for obj in CollectionObject.objects.filter(
                pk__in=random.sample(ids, min(requests, len(ids)))
            )
        ]
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0], HTTP_ACCEPT_ENCODING="gzip")
        client.get(urls[0])  # imports, connections, templates: not part of any figure

        cold, warm = [], []
        for url in urls:
            page_cache_bump()
            cold.append(self._time(client, url, expected="miss"))
            warm.append(self._time(client, url, expected="hit"))

        cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        self.stdout.write(f"Object page, {len(urls)} objects of {len(ids):,}, cache {cache}:")
        for label, times in (("cold (page cache miss)", cold), ("warm (page cache hit)", warm)):
            self.stdout.write(
                f"  {label:24} p50 {statistics.median(times):7.2f} ms   p95 {p95(times):7.2f} ms"
            )

    def _time(self, client, url, *, expected) -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200 or response.get("X-Page-Cache") != expected:
            raise CommandError(
                f"{url}: status {response.status_code}, cache {response.get('X-Page-Cache')}, "
                f"expected a {expected}"
            )
        return elapsed
