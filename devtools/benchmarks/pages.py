"""Timing pages as a visitor meets them, through Django's test client: the
table `bench_collection`, `bench_stories` and `bench_opendata` print."""

import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Marks a database as the benchmark's own (bench_collection made it), so a later
# run may replace it and bench_stories may build on it.
BENCH_PRODUCTION_TITLE = "Benchmark production (bench_collection)"


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def time_pages(stdout, pages: dict[str, list[str]], *, label: str = "page") -> None:
    """For each named list of URLs: p50 and p95 server time, the query count
    (a range when it varies) and the statuses seen."""
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    stdout.write(f"{label:<34}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}  status")
    for name, urls in pages.items():
        client.get(urls[0])  # warm caches and connections, as a running site has
        times, queries, statuses = [], set(), set()
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured.captured_queries))
            statuses.add(response.status_code)
        counts = f"{min(queries)}-{max(queries)}" if len(queries) > 1 else str(min(queries))
        stdout.write(
            f"{name:<34}{statistics.median(times):>8.1f}{p95(times):>8.1f}{counts:>9}  "
            f"{', '.join(map(str, sorted(statuses)))}"
        )
