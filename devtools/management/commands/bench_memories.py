"""`make bench` load check for the memory form.

200 submissions, at least 20 at a time, to a real gunicorn on loopback against
PostgreSQL and Redis: accepted, refused (and why), stored, duplicated and 5xx,
with p50/p95 of a submission and of an object page showing 20 approved memories
(and its query count for 1 and for 20 memories). Everything it creates is
deleted afterwards.
"""

import os
import tempfile
import time
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devtools.benchmarks import memories as bench
from memories.models import AgeGroup, Licence, Memory, MemoryContact, Relationship
from memories.services import consent_wording_current
from objects.models import CollectionObject, ObjectType

BENCH_DOMAIN = "bench.invalid"
ACCESSION = "BENCH-MEMORIES-{}"


class Command(BaseCommand):
    help = "Load-test the memory form through gunicorn (needs PostgreSQL and Redis)."

    def add_arguments(self, parser):
        parser.add_argument("--submissions", type=int, default=200)
        parser.add_argument("--concurrency", type=int, default=20)
        parser.add_argument("--page-requests", type=int, default=100)

    def handle(self, *args, submissions, concurrency, page_requests, **options):
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("bench_memories needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
        self._clean_up()
        try:
            one, twenty = self._objects_with_memories()
            self._query_counts(one, twenty)
            port = bench.free_port()
            log = tempfile.NamedTemporaryFile(  # noqa: SIM115  (kept for reading after the run)
                "w", prefix="bench-memories-gunicorn-", suffix=".log", delete=False
            )
            self.stdout.write(f"Server log: {log.name}")
            server = bench.start_gunicorn(
                port=port, env=self._server_env(), workers=2, threads=concurrency // 2, log=log
            )
            try:
                base = f"http://127.0.0.1:{port}"
                self._submissions(base, twenty, submissions, concurrency)
                self._object_page(base, twenty, page_requests)
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            self._clean_up()

    def _server_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="bac_collection.settings.base",  # DEBUG off, as deployed
            # Every request comes from 127.0.0.1 here, as from one proxy: the per-address
            # limit would refuse almost all of them; the per-email limit stays as set.
            MEMORIES_RATE_PER_IP="100000/h",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        return env

    def _objects_with_memories(self):
        objects = []
        for n, count in ((1, 1), (20, 20)):
            obj = CollectionObject.objects.create(
                accession_number=ACCESSION.format(n),
                title=f"Benchmark object with {count} memories",
                object_type=ObjectType.objects.order_by("pk").first(),
                live=True,
            )
            wording = consent_wording_current()
            for i in range(count):
                memory = Memory.objects.create(
                    text=f"Benchmark memory {i}: the red seats and the smell of the old hall. " * 3,
                    display_name=f"Bench {i}",
                    relationship=Relationship.AUDIENCE,
                    object=obj,
                    status=Memory.Status.APPROVED,
                    approved_at=timezone.now(),
                    consent_wording=wording,
                    consented_at=timezone.now(),
                    licence=Licence.CC_BY,
                    age_group=AgeGroup.ADULT,
                )
                MemoryContact.objects.create(memory=memory, email=f"seed{i}@{BENCH_DOMAIN}")
            objects.append(obj)
        return objects

    def _query_counts(self, one, twenty):
        client = Client(HTTP_HOST="127.0.0.1")
        counts = []
        for obj in (one, twenty):
            client.get(obj.get_absolute_url(), {"warm": 1})
            with CaptureQueriesContext(connection) as queries:
                client.get(obj.get_absolute_url(), {"cold": time.time()})
            counts.append(len(queries))
        self.stdout.write(
            f"Object page queries: {counts[0]} with 1 memory, {counts[1]} with 20 memories"
        )

    def _submissions(self, base, obj, total, concurrency):
        path = f"/memories/share/?object={obj.slug}"
        plan = self._plan(total)
        self.stdout.write(f"Fetching {len(plan)} forms ({concurrency} at a time)...")
        visitors = bench.run_concurrently(
            [lambda: bench.new_visitor(base, path) for _ in plan], concurrency=concurrency
        )
        # Double submissions reuse the first form (same idempotency key and cookie).
        for i, (kind, _) in enumerate(plan):
            if kind == "double":
                visitors[i] = visitors[i - 1]
        time.sleep(settings.MEMORIES_FORM_MIN_SECONDS + 0.5)  # as long as a person needs
        jobs = [
            (lambda v=visitors[i], d=data: bench.send(base, path, v, d))
            for i, (_, data) in enumerate(plan)
        ]
        started = time.perf_counter()
        outcomes = bench.run_concurrently(jobs, concurrency=concurrency)
        elapsed = time.perf_counter() - started
        report = bench.Report(outcomes)

        keys = {visitors[i].fields["idempotency_key"] for i, (k, _) in enumerate(plan)}
        stored = Memory.objects.filter(contact__email__endswith=f"@{BENCH_DOMAIN}").exclude(
            contact__email__startswith="seed"
        )
        stored_keys = list(stored.values_list("idempotency_key", flat=True))
        duplicated = len(stored_keys) - len(set(stored_keys))
        accepted_valid = sum(
            1 for (kind, _), o in zip(plan, outcomes, strict=True)
            if kind in ("valid", "first") and o.status == 302
        )  # fmt: skip
        seconds = [o.seconds for o in outcomes]
        accepted_seconds = [o.seconds for o in outcomes if o.status == 302]
        self.stdout.write(
            f"Submissions: {len(outcomes)} sent in {elapsed:.1f} s, {concurrency} at a time\n"
            f"  accepted (302): {report.accepted()} "
            f"(of which repeats of a form already sent: {report.accepted() - accepted_valid})\n"
            f"  refused: {sum(report.refused().values())} "
            + "".join(f"\n    {reason}: {n}" for reason, n in sorted(report.refused().items()))
            + f"\n  stored: {len(stored_keys)} (distinct forms sent: {len(keys)})\n"
            f"  duplicated: {duplicated}\n"
            f"  server errors (5xx): {report.server_errors()}\n"
            f"  submission time p50 {bench.percentile(seconds, 0.5) * 1000:.0f} ms, "
            f"p95 {bench.percentile(seconds, 0.95) * 1000:.0f} ms "
            f"(accepted only: p50 {bench.percentile(accepted_seconds, 0.5) * 1000:.0f} ms, "
            f"p95 {bench.percentile(accepted_seconds, 0.95) * 1000:.0f} ms)"
        )
        if report.server_errors() or duplicated:
            raise CommandError("Server errors or duplicates: see above.")

    def _plan(self, total):
        """Mostly good memories, some double clicks, some mistakes, some bots."""
        plan = []
        # Fresh addresses each run: the per-email counts of earlier runs live on in Redis.
        run = uuid.uuid4().hex[:8]
        for i in range(total):
            email = f"visitor{i}-{run}@{BENCH_DOMAIN}"
            good = {
                "text": f"Benchmark visitor {i} remembers the Grand Hall in 1998.",
                "relationship": "audience",
                "email": email,
                "licence": "cc-by-4.0",
                "consent_publish": "on",
                "age_group": "13-or-over",
                "website": "",
            }
            slot = i % 20
            if slot in (1, 3) and plan and plan[-1][0] == "first":
                plan.append(("double", plan[-1][1]))
            elif slot in (0, 2):
                plan.append(("first", good))
            elif slot == 5:
                plan.append(("mistake", {**good, "consent_publish": ""}))
            elif slot == 7:
                plan.append(("bot", {**good, "website": "http://spam.example"}))
            elif slot == 9:
                plan.append(("repeat email", {**good, "email": f"keen-{run}@{BENCH_DOMAIN}"}))
            else:
                plan.append(("valid", good))
        return plan

    def _object_page(self, base, obj, requests):
        url = base + obj.get_absolute_url()
        # Distinct query strings: every request is rendered, not served from the page cache.
        times = [bench.timed_get(f"{url}?bench={i}") for i in range(requests)]
        cached = [bench.timed_get(url) for _ in range(requests)]
        self.stdout.write(
            f"Object page with 20 memories, {requests} requests: rendered p50 "
            f"{bench.percentile(times, 0.5) * 1000:.0f} ms, p95 "
            f"{bench.percentile(times, 0.95) * 1000:.0f} ms; from the page cache p50 "
            f"{bench.percentile(cached, 0.5) * 1000:.0f} ms, p95 "
            f"{bench.percentile(cached, 0.95) * 1000:.0f} ms"
        )

    def _clean_up(self):
        Memory.objects.filter(contact__email__endswith=f"@{BENCH_DOMAIN}").delete()
        Memory.objects.filter(object__accession_number__startswith="BENCH-MEMORIES-").delete()
        CollectionObject.objects.filter(accession_number__startswith="BENCH-MEMORIES-").delete()
