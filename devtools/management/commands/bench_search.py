"""Search benchmark: relevance, latency of 200 varied queries with facets,
and reindex throughput, for the database and, when OPENSEARCH_URL or
ELASTICSEARCH_URL is set, for the search engine beside it.

    manage.py bench_search [--objects 100000 --fill] [--queries 200]
    OPENSEARCH_URL=http://127.0.0.1:9200 manage.py bench_search --objects 1000000 --fill

Relevance: for a fixed random sample of 200 Tate titles in the database, the
share found on page 1 by their exact title, and with two adjacent letters of
the longest word swapped (goal: 100% and at least 95%). The relevance test
(tests/search/test_relevance.py) uses the same sample and measure
(benchmarks/search.py).

Queries come from Tate's titles and artists (../shared/data/tate), or from
the indexed records when that file is absent: artist names, title words,
misspelt names, and searches narrowed by a facet. Each is timed through the
public search (what the page waits for: hits, facet counts, "did you
mean") and through the whole search page (Django test client), once
answered by the database and once by the engine, side by side. The rebuild
reports its overall rate and each index's writing rate. With an engine,
bulk indexing into it alone is then timed, best of --bulk-runs (goal >=
10,000 docs/s): every public record read, built and loaded into a fresh
index until searchable (devtools/benchmarks/search_bulk.py).
`--fill` first tops the database up to --objects with derived copies of
existing records; `--from-empty` empties the database index before the
rebuild (the slowest case: every row and index entry is new). Both refuse
unless the database name contains "bench".
"""

import csv
import random
import statistics
import time
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from devtools.benchmarks.search import SEED, TATE_CSV, hit_rates, read_tate_rows, relevance_sample
from devtools.benchmarks.search_bulk import engine_bulk_load
from foundation.page_cache import page_cache_bump
from objects.models import CollectionObject, ObjectMaker
from search.backends import search
from search.engines import configured_engine
from search.models import SearchEntry, SearchTerm
from search.results import SearchRequest
from search.services import search_index_rebuild

# Objects copied per transaction by --fill: a million in bounded memory.
FILL_BATCH = 10_000
BULK_GOAL = 10_000  # docs/s into the engine
REINDEX_GOAL = 5_000  # records/s, the whole rebuild (issue 20)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def misspell(word: str, rng: random.Random) -> str:
    """Drop or double one inner letter: "hockney" -> "hockny"."""
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]


class Command(BaseCommand):
    help = "Benchmark search latency (p50/p95) and reindex throughput."

    def add_arguments(self, parser):
        parser.add_argument("--objects", type=int, default=100_000)
        parser.add_argument("--fill", action="store_true", help="Top up to --objects first.")
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--skip-rebuild", action="store_true")
        parser.add_argument(
            "--bulk-runs",
            type=int,
            default=3,
            help="Times the engine's bulk load is run (the best is reported; 0: none).",
        )
        parser.add_argument(
            "--from-empty",
            action="store_true",
            help="Empty the database index before the rebuild (the slowest case).",
        )

    def handle(self, *args, objects, fill, queries, skip_rebuild, bulk_runs, from_empty, **options):
        if fill or from_empty:
            self.refuse_unless_bench_database()
        if fill:
            self.fill(objects)
        configured = configured_engine()
        self.backends = ["database"] + ([configured[0].name] if configured else [])
        if not skip_rebuild:
            self.rebuild(from_empty=from_empty)
        if configured and bulk_runs:
            self.bulk_load(bulk_runs)
        count = SearchEntry.objects.count()
        if not count:
            raise CommandError("Nothing is indexed: import some objects first.")
        self.stdout.write(f"{count:,} records indexed, searched by {' and '.join(self.backends)}.")
        requests = self.requests(queries)
        timings = {"backend": {}, "page": {}}
        for backend in self.backends:
            with self.answered_by(backend):
                self.relevance(backend)
                timings["backend"][backend] = self.time_backend(requests, backend)
                timings["page"][backend] = self.time_pages(requests[:50])
        self.report("Search backend (hits + facets)", timings["backend"])
        self.report("Search page (whole request)", timings["page"])

    @staticmethod
    def answered_by(backend: str):
        """Searches answered by `backend`: the database is the engine switched off."""
        if backend == "database":
            return override_settings(OPENSEARCH_URL="", ELASTICSEARCH_URL="")
        return nullcontext()

    def refuse_unless_bench_database(self):
        if "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError(
                "--fill and --from-empty only write to a database whose name contains 'bench'."
            )

    def fill(self, target):
        have = CollectionObject.objects.filter(live=True).count()
        if not have:
            raise CommandError("--fill derives copies of existing records: import some first.")
        if have >= target:
            self.stdout.write(f"{have:,} objects already: none added.")
            return
        source_pks = list(
            CollectionObject.objects.filter(live=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: target - have]
        )
        made, round_ = 0, 0
        while made < target - have:
            round_ += 1
            pks = source_pks[: target - have - made]
            for start in range(0, len(pks), FILL_BATCH):
                batch = list(
                    CollectionObject.objects.filter(pk__in=pks[start : start + FILL_BATCH])
                )
                with transaction.atomic():
                    self.copy(batch, round_)
                made += len(batch)
        self.stdout.write(f"Added {made:,} derived objects (now {have + made:,}).")

    def copy(self, sources, round_):
        makers = {}
        for link in ObjectMaker.objects.filter(object__in=sources):
            makers.setdefault(link.object_id, []).append(link)
        fields = [f.attname for f in CollectionObject._meta.concrete_fields if not f.primary_key]
        copies = []
        for obj in sources:
            copy = CollectionObject(**{name: getattr(obj, name) for name in fields})
            copy.accession_number = f"{obj.accession_number}-D{round_}"[:64]
            copy.slug = f"{obj.slug[:110]}-d{round_}"
            copy.is_sample_content = True
            copies.append(copy)
        CollectionObject.objects.bulk_create(copies, batch_size=1000)
        ObjectMaker.objects.bulk_create(
            [
                ObjectMaker(object=copy, maker_id=link.maker_id, role=link.role)
                for obj, copy in zip(sources, copies, strict=True)
                for link in makers.get(obj.pk, [])
            ],
            batch_size=2000,
        )

    def rebuild(self, *, from_empty: bool):
        if from_empty:
            with transaction.atomic():
                SearchEntry.objects.all().delete()
                SearchTerm.objects.all().delete()
        report = search_index_rebuild()
        start = "from empty" if from_empty else "over the current index"
        verdict = "meets" if report.per_second >= REINDEX_GOAL else "misses"
        self.stdout.write(
            f"Reindex ({' + '.join(self.backends)}, {start}): {report.total:,} records in "
            f"{report.seconds:.1f}s = {report.per_second:,.0f} records/s overall ({verdict} the "
            f"goal: >= {REINDEX_GOAL:,} docs/s)"
        )
        # On PostgreSQL a thread writes the fresh table while the records are read
        # and built: this is the time the rebuild waited for it, plus the indexes'
        # builds, the swap and the vocabulary.
        self.stdout.write(
            f"  writing to (or waiting for) the database: {report.database_seconds:.1f}s "
            f"(the rest reading and building the documents)"
        )
        if report.database_steps:
            steps = report.database_steps
            self.stdout.write(
                f"  the fresh table: waited for its writer {steps.get('waiting', 0):.1f}s; the "
                f"writer loaded rows for {steps.get('loading', 0):.1f}s beside the building, "
                f"then built its indexes in {steps.get('indexing', 0):.1f}s and swapped it in "
                f"in {steps.get('swapping', 0):.1f}s"
            )
        if report.engine_indexes:
            self.stdout.write(
                f"  loading {self.backends[1]} beside it (wall clock): "
                f"{report.engine_seconds:.1f}s = {report.total / report.engine_seconds:,.0f} docs/s"
            )

    def bulk_load(self, runs: int):
        """The engine alone, `runs` times: the best run, and every run's rate."""
        timings = [engine_bulk_load() for _ in range(runs)]
        best = max(timings, key=lambda timing: timing.per_second)
        verdict = "meets" if best.per_second >= BULK_GOAL else "misses"
        engine = self.backends[1]
        self.stdout.write(
            f"Bulk indexing into {engine} ({best.documents:,} documents serialised and sent "
            f"{best.threads} requests at a time into a fresh index, until searchable), best of "
            f"{runs}: {best.per_second:,.0f} docs/s ({verdict} the goal: >= {BULK_GOAL:,} "
            "docs/s); every run: " + ", ".join(f"{t.per_second:,.0f}" for t in timings)
        )
        self.stdout.write(
            f"  where the best run's time went: reading rows {best.reading:.1f}s, building "
            f"documents {best.building:.1f}s, bulk indexing {best.indexing:.1f}s (of which "
            f"serialising about {best.serialising:.1f}s); from the database to searchable, "
            f"one after the other: {best.end_to_end_per_second:,.0f} docs/s"
        )

    def relevance(self, backend):
        if not TATE_CSV.exists():
            self.stdout.write(f"Relevance: skipped, {TATE_CSV} is absent.")
            return
        cases = relevance_sample(read_tate_rows())
        rates = hit_rates(cases)
        if not rates.measured:
            self.stdout.write(
                "Relevance: skipped, none of the sampled Tate titles is in this database "
                "(bench_collection imports them)."
            )
            return
        self.stdout.write(
            f"Relevance on {backend} ({rates.measured} of {len(cases)} sampled Tate titles in "
            f"the database, page 1): exact title {rates.exact:.1%}, two letters swapped "
            f"{rates.misspelt:.1%} (goal 100% and >= 95%)"
        )
        for miss in rates.misses[:10]:
            self.stdout.write(f"  missed {miss}")

    def vocabulary(self) -> tuple[list[str], list[str]]:
        """(artist names, titles) from the Tate file, or from the index."""
        if TATE_CSV.exists():
            with TATE_CSV.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
            artists = sorted({row["artist"] for row in rows if row["artist"]})
            titles = sorted({row["title"] for row in rows if row["title"]})
        else:
            artists = sorted(set(SearchEntry.objects.values_list("names", flat=True)[:5000]) - {""})
            titles = list(SearchEntry.objects.values_list("title", flat=True)[:5000])
        return artists, titles

    def requests(self, n) -> list[SearchRequest]:
        rng = random.Random(SEED)
        artists, titles = self.vocabulary()
        requests = []
        while len(requests) < n:
            kind = len(requests) % 5
            if kind == 0:  # "Turner, Joseph Mallord William" -> "turner" or "joseph turner"
                names = rng.choice(artists).replace(",", " ").split()
                query = " ".join(names[:1] if rng.random() < 0.5 else names[:2])
            elif kind == 1:  # two words of a title
                words = [w for w in rng.choice(titles).split() if len(w) > 3] or ["study"]
                query = " ".join(rng.sample(words, min(2, len(words))))
            elif kind == 2:  # a misspelt surname
                surname = max(rng.choice(artists).replace(",", " ").split(), key=len)
                query = misspell(surname.lower(), rng) if len(surname) > 4 else surname
            elif kind == 3:  # one title word narrowed by a decade
                words = [w for w in rng.choice(titles).split() if len(w) > 3] or ["study"]
                query = rng.choice(words)
                requests.append(SearchRequest(query=query, filters={"decade": "1800"}))
                continue
            else:  # a whole title, sorted by date
                requests.append(SearchRequest(query=rng.choice(titles)[:80], sort="date"))
                continue
            requests.append(SearchRequest(query=query))
        return requests

    def report(self, label, samples_by_backend: dict[str, list[float]]):
        """One line per backend, side by side."""
        some = next(iter(samples_by_backend.values()))
        self.stdout.write(f"{label}, {len(some)} queries:")
        for backend, samples in samples_by_backend.items():
            self.stdout.write(
                f"  {backend:<14} p50 {percentile(samples, 50):7.1f} ms   "
                f"p95 {percentile(samples, 95):7.1f} ms   max {max(samples):7.1f} ms"
            )

    def time_backend(self, requests, backend) -> list[float]:
        for request in requests[:20]:  # warm caches and connections
            search(request)
        samples, totals = [], []
        for request in requests:
            started = time.perf_counter()
            results = search(request)
            samples.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
            if results.backend != backend:
                raise CommandError(f"{backend} did not answer {request}: {results.backend} did.")
        self.stdout.write(
            f"Results per query on {backend}: median {statistics.median(totals):,.0f}, "
            f"max {max(totals):,}; zero-result queries: {sum(t == 0 for t in totals)}"
        )
        return samples

    def time_pages(self, requests) -> list[float]:
        page_cache_bump()  # every page rendered by this backend, none from the page cache
        client = Client(SERVER_NAME="localhost")
        url = reverse("search:search")
        samples = []
        for request in requests:
            params = {"q": request.query, "sort": request.sort, **request.filters}
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{params} -> HTTP {response.status_code}")
        return samples
