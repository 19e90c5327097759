"""Writes to the search indexes: the database table and, when configured,
the search engine (OpenSearch or Elasticsearch). Both are always written by
the same functions, so they hold the same records, for every kind in the
registry."""

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .database_rebuild import FreshEntryTable
from .documents import index_alias, index_body, serving_settings
from .engines import (
    SearchEngineUnavailable,
    configured_engine,
    get_engine,
    search_engine_enabled,
)
from .entry_loading import ENTRY_FIELDS, copy_rows, load_entries
from .indexing import IndexedDocument, documents_from_rows, indexed_documents
from .models import SearchEntry, SearchTerm
from .registry import SearchKind, affected_records, all_kinds

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500
# Documents per bulk request to the engine (about 0.7 MB of objects), and
# requests in flight during a rebuild: one more than a 2-core node's write
# threads, so both index while an answer travels back and the next body is
# written. Measured at 100,000 objects on that node: 1,000 a request indexed
# faster than 2,000, and 3 in flight as fast as 2 or faster.
BULK_CHUNK_SIZE = 1000
BULK_THREADS = 3


class IndexingFailed(Exception):
    """The search engine rejected some documents; the task retries the batch."""


def _write_entries(
    kind: SearchKind, documents: list[IndexedDocument], removed_pks, *, vocabulary: bool = True
) -> None:
    """Write the rows of `documents` and delete those of `removed_pks`;
    add their words to the vocabulary unless a rebuild recounts it."""
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind.name, record_id__in=list(removed_pks)).delete()
        if not documents:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, connection.wrap_database_errors:
                load_entries(cursor.cursor, copy_rows(documents))
        else:
            SearchEntry.objects.bulk_create(
                [document.to_entry() for document in documents],
                update_conflicts=True,
                unique_fields=["kind", "record_id"],
                update_fields=ENTRY_FIELDS,
            )
        if vocabulary:
            words = set().union(*(document.vocabulary() for document in documents))
            SearchTerm.objects.bulk_create(
                [SearchTerm(term=term) for term in sorted(words)], ignore_conflicts=True
            )


_aliases_checked: set[str] = set()


def _ensure_alias(kind: SearchKind) -> None:
    """Before the first rebuild, create an index behind the kind's alias so
    incremental writes never auto-create an index with a guessed mapping."""
    alias = index_alias(kind)
    if alias in _aliases_checked:
        return
    if not get_engine().alias_exists(alias):
        name = _create_index(kind)
        get_engine().update_aliases([{"add": {"index": name, "alias": alias}}])
    _aliases_checked.add(alias)


def _create_index(kind: SearchKind, *, loading: bool = False) -> str:
    name = f"{index_alias(kind)}-{timezone.now():%Y%m%d%H%M%S%f}"
    get_engine().create_index(name, index_body(kind, loading=loading))
    return name


def _send_to_engine(
    *,
    index: str,
    documents: list[IndexedDocument],
    removed_pks: Iterable[int] = (),
    wait_for_refresh: bool = False,
) -> None:
    actions = [
        {"_index": index, "_id": document.pk, "_source": document.to_source()}
        for document in documents
    ]
    actions += [{"_op_type": "delete", "_index": index, "_id": pk} for pk in removed_pks]
    if not actions:
        return
    errors = get_engine().bulk(
        actions, chunk_size=BULK_CHUNK_SIZE, wait_for_refresh=wait_for_refresh
    )
    # Deleting what is already gone is success: that is the state we want.
    failures = [e for e in errors if not ("delete" in e and e["delete"].get("status") == 404)]
    if failures:
        raise IndexingFailed(f"{len(failures)} documents rejected, first: {failures[0]}")


def _update_kind(kind: SearchKind, pks: list[int]) -> None:
    for start in range(0, len(pks), CHUNK_SIZE):
        chunk = pks[start : start + CHUNK_SIZE]
        documents = indexed_documents(kind, chunk)
        removed = set(chunk) - {document.pk for document in documents}
        _write_entries(kind, documents, removed)
        if search_engine_enabled():
            _ensure_alias(kind)
            # Searchable before the task ends: the page cache is bumped when it
            # does, and a search cached in between must not miss the change.
            _send_to_engine(
                index=index_alias(kind),
                documents=documents,
                removed_pks=removed,
                wait_for_refresh=True,
            )


def search_index_update(*, model_label: str, pks: list[int]) -> int:
    """Bring the indexes up to date for these rows; returns records touched.

    For a kind's model: public records are (re)indexed, unpublished and
    deleted ones removed. For a model a kind depends on (a maker, a
    production...): every record that mentions these rows.
    """
    touched = 0
    for kind, kind_pks in affected_records(model_label, pks).items():
        _update_kind(kind, kind_pks)
        touched += len(kind_pks)
    return touched


@dataclass
class RebuildReport:
    records: Counter = field(default_factory=Counter)  # kind name -> records indexed
    seconds: float = 0.0
    # Of `seconds`: the time spent writing the database, and the wall-clock
    # time the engine's bulk load took (from its first request to its last
    # answer, while the database was written beside it).
    database_seconds: float = 0.0
    # On PostgreSQL, where the fresh table's time went (FreshEntryTable.timings).
    database_steps: dict[str, float] = field(default_factory=dict)
    engine_seconds: float = 0.0
    engine_indexes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.records.values())

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds else 0.0


def _public_pks(kind: SearchKind) -> list[int]:
    return list(
        kind.public_queryset().prefetch_related(None).order_by("pk").values_list("pk", flat=True)
    )


def search_index_rebuild(
    *, chunk_size: int = 1000, on_progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Reindex every public record of every kind, without downtime.

    Database: on PostgreSQL a fresh table is filled, indexed and swapped in
    for the live one in one transaction (search/database_rebuild.py);
    elsewhere rows are upserted chunk by chunk, then rows no longer public
    (or of kinds no longer registered) removed. The vocabulary is recounted.
    Search engine: per kind, a new timestamped index is filled (not
    refreshed meanwhile: SEARCH_REBUILD_REFRESH_INTERVAL), then the alias
    swapped to it atomically and the old indexes dropped. If anything fails
    first, the new indexes are dropped and the aliases still name the old
    ones, which keep serving. Records changed during the rebuild are indexed
    again afterwards, so no edit is lost, and entries whose records went
    meanwhile are removed.
    """
    started_at = timezone.now()
    report = RebuildReport()
    use_engine = search_engine_enabled()
    vocabulary: Counter = Counter()
    public: dict[str, list[int]] = {}
    new_indexes: dict[str, str] = {}
    fresh = FreshEntryTable() if connection.vendor == "postgresql" else None
    try:
        with BulkLoader() as engine_loader:
            for kind in all_kinds():
                if use_engine:
                    new_indexes[kind.name] = _create_index(kind, loading=True)
                public[kind.name] = pks = _public_pks(kind)
                for documents in _documents_read_ahead(kind, pks, chunk_size):
                    if use_engine:
                        engine_loader.send(new_indexes[kind.name], documents)
                    with _timed(report, "database_seconds"):
                        if fresh:
                            fresh.write(documents)
                        else:
                            _write_entries(kind, documents, (), vocabulary=False)
                    for document in documents:
                        vocabulary.update(document.vocabulary())
                    report.records[kind.name] += len(documents)
                    if on_progress:
                        on_progress(len(documents))
            engine_loader.wait()  # every document in before any alias swaps
            report.engine_seconds = engine_loader.seconds
        with _timed(report, "database_seconds"):
            if fresh:
                fresh.swap_in()
                report.database_steps = dict(fresh.timings)
                fresh = None
                _replace_vocabulary(vocabulary)
                _vacuum_analyze(SearchTerm)  # the fresh entries were analysed before the swap
            else:
                _replace_database_rest(public, vocabulary)
        for kind in all_kinds():
            if use_engine:
                _swap_alias(kind, new_indexes[kind.name])
                report.engine_indexes.append(new_indexes.pop(kind.name))
    except BaseException as exc:
        # Interrupted too: the aliases still name the old indexes, and the live
        # table is the old one, which serve on.
        if fresh:
            fresh.abandon(exc)
        _drop_indexes(new_indexes.values())
        raise
    for kind in all_kinds():
        if connection.vendor == "postgresql":
            _remove_gone_records(kind)
        if kind.updated_field:
            changed = kind.model._default_manager.filter(
                **{f"{kind.updated_field}__gte": started_at}
            ).values_list("pk", flat=True)
            _update_kind(kind, list(changed))
    report.seconds = (timezone.now() - started_at).total_seconds()
    return report


def _documents_read_ahead(
    kind: SearchKind, pks: list[int], chunk_size: int
) -> Iterator[list[IndexedDocument]]:
    """Each chunk's documents, in turn. Outside a transaction the next chunk's
    rows are read by a thread of its own (on a connection of its own) while
    the caller builds and writes this one, so the database answers that query
    while Python works; inside one, only the caller's connection sees its
    rows, so they are read in turn."""
    chunks = [pks[start : start + chunk_size] for start in range(0, len(pks), chunk_size)]
    if connection.in_atomic_block or not chunks:
        for chunk in chunks:
            yield indexed_documents(kind, chunk)
        return
    with ThreadPoolExecutor(1, thread_name_prefix="search-read") as reader:
        try:
            ahead = [reader.submit(_rows, kind, chunks[0])]
            for next_chunk in [*chunks[1:], None]:
                rows = ahead.pop().result()
                if next_chunk is not None:
                    ahead.append(reader.submit(_rows, kind, next_chunk))
                yield documents_from_rows(kind, rows)
        finally:
            # The reading thread's own connection (looked up in that thread).
            reader.submit(lambda: connection.close())


def _rows(kind: SearchKind, pks: list[int]) -> list:
    return list(kind.rows(pks))


class BulkLoader:
    """Sends a rebuild's documents to the engine, BULK_CHUNK_SIZE a request,
    BULK_THREADS requests at a time, while the caller reads the next records
    and writes them to the database. The engine indexes each request on one
    of its write threads (one per core), so one request at a time left all
    but one idle; each request's body is built in its sending thread. At most
    2 x BULK_THREADS requests wait, so memory stays bounded. A refused
    document or a failed request raises from the next `send` or `wait`.
    `seconds`: the wall-clock time from the first document sent to the last
    one acknowledged."""

    def __init__(self, threads: int = 0):
        self.threads = threads or BULK_THREADS
        self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="search-bulk")
        self.pending: deque[Future] = deque()
        self.started: float | None = None
        self.seconds = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.executor.shutdown(wait=True, cancel_futures=True)

    def send(self, index: str, documents: list[IndexedDocument]) -> None:
        if self.started is None:
            self.started = time.perf_counter()
        for start in range(0, len(documents), BULK_CHUNK_SIZE):
            while len(self.pending) >= 2 * self.threads or (
                self.pending and self.pending[0].done()
            ):
                self.pending.popleft().result()
            chunk = documents[start : start + BULK_CHUNK_SIZE]
            self.pending.append(self.executor.submit(self._send, index, chunk))

    @staticmethod
    def _send(index: str, documents: list[IndexedDocument]) -> None:
        errors = get_engine().bulk_index(index, ((d.pk, d.to_source()) for d in documents))
        if errors:
            raise IndexingFailed(f"{len(errors)} documents rejected, first: {errors[0]}")

    def wait(self) -> None:
        while self.pending:
            self.pending.popleft().result()
        if self.started is not None:
            self.seconds = time.perf_counter() - self.started


@contextmanager
def _timed(report: RebuildReport, attribute: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        setattr(report, attribute, getattr(report, attribute) + time.perf_counter() - started)


def _replace_database_rest(public: dict[str, list[int]], vocabulary: Counter) -> None:
    """After the rows of `public` are upserted: drop every other row, and
    replace the vocabulary with `vocabulary`."""
    with transaction.atomic():
        SearchEntry.objects.exclude(kind__in=list(public)).delete()
        for kind_name, pks in public.items():
            SearchEntry.objects.filter(kind=kind_name).exclude(record_id__in=pks).delete()
        _replace_vocabulary(vocabulary)
    if connection.vendor == "postgresql":
        _vacuum_analyze(SearchEntry, SearchTerm)


def _replace_vocabulary(vocabulary: Counter) -> None:
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term, document_count=n) for term, n in vocabulary.items()],
            batch_size=5000,
        )


def _remove_gone_records(kind: SearchKind) -> None:
    """Entries of records no longer public: deleted while a rebuild filled
    its fresh table (their removal went to the table it replaced)."""
    # NOT EXISTS, an anti-join: NOT IN over a million ids, too many to hash in
    # work_mem, ran its subquery once per entry.
    public = kind.public_queryset().order_by().filter(pk=OuterRef("record_id"))
    SearchEntry.objects.filter(kind=kind.name).exclude(Exists(public)).delete()


def _drop_indexes(names: Iterable[str]) -> None:
    for name in names:
        try:
            get_engine().delete_index(name)
        except SearchEngineUnavailable as exc:
            # The failure that brought us here matters more: say so, and go on.
            logger.error("Could not drop the half-built search index %s: %s", name, exc)


def _vacuum_analyze(*models) -> None:
    """Fresh planner statistics for the new rows and, outside a transaction
    (VACUUM cannot run in one), the dead row versions of the changed rows
    reclaimed now: until autovacuum gets to them, every search that scans
    many matches reads them too (twice as slow after a rebuild that changed
    every row)."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {model._meta.db_table}")


def _swap_alias(kind: SearchKind, new_index: str) -> None:
    """Serve `new_index` behind the kind's alias, refreshed and refreshing
    as usual, in one atomic alias change; then drop the old indexes."""
    engine = get_engine()
    alias = index_alias(kind)
    engine.put_index_settings(new_index, serving_settings())
    engine.refresh(new_index)
    old_indexes = engine.alias_indexes(alias)
    actions = [{"remove": {"index": old, "alias": alias}} for old in old_indexes]
    actions.append({"add": {"index": new_index, "alias": alias}})
    engine.update_aliases(actions)
    _drop_indexes(old_indexes)
    _aliases_checked.add(alias)


@dataclass
class Drift:
    """How one backend's index of one kind differs from the public records."""

    backend: str
    kind: str
    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    extra: set[int] = field(default_factory=set)
    error: str = ""

    @property
    def pks(self) -> set[int]:
        return self.missing | self.stale | self.extra

    @property
    def in_sync(self) -> bool:
        return not self.pks and not self.error


def _compare(
    backend: str, kind: SearchKind, expected: dict[int, datetime], indexed: dict[int, datetime]
) -> Drift:
    both = set(expected) & set(indexed)
    return Drift(
        backend=backend,
        kind=kind.name,
        missing=set(expected) - set(indexed),
        stale={pk for pk in both if indexed[pk] != expected[pk]} if kind.updated_field else set(),
        extra=set(indexed) - set(expected),
    )


def _engine_updated_at(kind: SearchKind) -> dict[int, datetime | None]:
    hits = get_engine().scan(
        index_alias(kind), {"query": {"match_all": {}}, "_source": ["updated_at"]}
    )
    return {
        int(hit["_id"]): datetime.fromisoformat(hit["_source"]["updated_at"])
        if "updated_at" in hit["_source"]
        else None
        for hit in hits
    }


def search_index_check() -> list[Drift]:
    """Compare each index with each kind's public records (ids and the
    kind's `updated_field`)."""
    report = []
    for kind in all_kinds():
        expected = dict.fromkeys(_public_pks(kind))
        if kind.updated_field:
            expected = dict(
                kind.public_queryset()
                .prefetch_related(None)
                .order_by()
                .values_list("pk", kind.updated_field)
            )
        database = dict(
            SearchEntry.objects.filter(kind=kind.name).values_list("record_id", "source_updated_at")
        )
        report.append(_compare("database", kind, expected, database))
        configured = configured_engine()
        if configured:
            engine_name = configured[0].name
            try:
                indexed = _engine_updated_at(kind)
            except SearchEngineUnavailable as exc:
                report.append(Drift(backend=engine_name, kind=kind.name, error=str(exc)))
            else:
                report.append(_compare(engine_name, kind, expected, indexed))
    return report
