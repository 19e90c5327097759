"""A full rebuild of the database search table on PostgreSQL: a fresh table,
filled with no index to keep up to date, indexed once full and swapped in for
the live one.

Upserting a million rows into the live table kept its five indexes (the GIN
over every word among them) up to date row by row, and compared every row
with the one it replaced; building each index once from the loaded rows is
several times cheaper. (Keeping the B-tree indexes up to date as rows
arrived, in the writer beside the building, saved 15 s at the end but cost
40 s more loading: no faster at a million on a busy 2-core machine.)

The whole of it is one transaction: searches read the live table until it
commits, then the new one, never an empty or half-built index; an error or
an interruption rolls it all back, the fresh table with it.
The indexes are those the live table has (their definitions read from the
catalogue), so a migration's new index is rebuilt too.

Outside a transaction the fresh table is written by a thread of its own on a
connection of its own, while the caller reads and builds the next documents:
PostgreSQL computes one chunk's tsvectors on one core while Python builds the
next on the other (psycopg lets go of the GIL while it waits). Inside one (a
test, a caller's atomic block) it is written in turn on the caller's
connection, which alone sees that transaction's rows.
"""

import queue
import threading
import time
from collections import Counter

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from .entry_loading import TABLE, copy_rows, load_entries
from .indexing import IndexedDocument

FRESH = f"{TABLE}_rebuild"
SUFFIX = "_rebuild"  # the fresh table's indexes, until the live table's are gone
# Chunks built ahead of the writer, at most: memory stays bounded.
QUEUED_CHUNKS = 2
# Index builds sort in memory rather than on disk (the GIN index most of all).
INDEX_BUILD_MEMORY = "256MB"
_DONE = object()


class FreshEntryTable:
    """`write(documents)` chunk by chunk, then `swap_in()`; or, on failure,
    `abandon()`. Use as a context manager, which abandons on an exception."""

    def __init__(self):
        self._threaded = not connection.in_atomic_block
        self._chunks: queue.Queue = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._failure: BaseException | None = None
        self._writer: threading.Thread | None = None
        # Seconds spent, for the benchmark: "waiting" (the caller, for the
        # writer), "loading" (COPY and INSERT), "indexing", "swapping".
        self.timings: Counter = Counter()
        if self._threaded:
            self._writer = threading.Thread(target=self._write_all, name="search-rebuild")
            self._writer.start()
        else:
            self._savepoint = transaction.atomic()
            self._savepoint.__enter__()
            _create(connection)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            self.abandon(exc)

    def write(self, documents: list[IndexedDocument]) -> None:
        rows = copy_rows(documents)
        if not self._threaded:
            with connection.cursor() as cursor, _timed(self.timings, "loading"):
                load_entries(cursor.cursor, rows, table=FRESH, upsert=False)
            return
        with _timed(self.timings, "waiting"):
            while True:  # never wait forever on a writer that has failed
                self._raise_failure()
                try:
                    self._chunks.put(rows, timeout=1)
                    return
                except queue.Full:
                    continue

    def swap_in(self) -> None:
        """Index the fresh table as the live one is, and replace it."""
        if not self._threaded:
            with connection.cursor() as cursor:
                _index_and_swap(cursor.cursor, self.timings)
            self._savepoint.__exit__(None, None, None)
            return
        with _timed(self.timings, "waiting"):
            self._chunks.put(_DONE)
            self._writer.join()
        self._raise_failure()

    def abandon(self, exc: BaseException | None = None) -> None:
        """Drop everything written (rolled back with the transaction)."""
        if not self._threaded:
            self._savepoint.__exit__(type(exc or RuntimeError), exc or RuntimeError(), None)
            return
        self._failure = self._failure or exc or RuntimeError("abandoned")
        while self._writer.is_alive():  # unblock a writer waiting for chunks
            try:
                self._chunks.put(None, timeout=0.1)
            except queue.Full:
                continue
        self._writer.join()

    def _raise_failure(self) -> None:
        if self._failure is not None and self._writer is not None:
            raise RuntimeError("Writing the fresh search table failed") from self._failure

    def _write_all(self) -> None:
        """The writer thread: its own connection, one transaction."""
        writer = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            writer.ensure_connection()
            raw = writer.connection
            with raw.transaction():
                with raw.cursor() as cursor:
                    _create_sql(cursor)
                while (rows := self._chunks.get()) is not _DONE:
                    if rows is None or self._failure is not None:
                        raise RuntimeError("abandoned")
                    with raw.cursor() as cursor, _timed(self.timings, "loading"):
                        load_entries(cursor, rows, table=FRESH, upsert=False)
                with raw.cursor() as cursor:
                    _index_and_swap(cursor, self.timings)
        except BaseException as exc:  # reported to the caller by write() or swap_in()
            self._failure = self._failure or exc
            while True:  # let a caller blocked on a full queue go on, then fail
                try:
                    self._chunks.get_nowait()
                except queue.Empty:
                    break
        finally:
            writer.close()


class _timed:
    def __init__(self, timings: Counter, name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc_info):
        self.timings[self.name] += time.perf_counter() - self.started


def _create(conn) -> None:
    with conn.cursor() as cursor:
        _create_sql(cursor.cursor)


def _create_sql(cursor) -> None:
    # Columns, defaults, identity and checks as the live table has them; no index.
    cursor.execute(f"CREATE TABLE {FRESH} (LIKE {TABLE} INCLUDING ALL EXCLUDING INDEXES)")


def _index_and_swap(cursor, timings: Counter) -> None:
    started = time.perf_counter()
    indexes = _live_indexes(cursor)
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    _create_indexes(cursor, indexes)
    cursor.execute(f"ANALYZE {FRESH}")
    timings["indexing"] += time.perf_counter() - started
    started = time.perf_counter()
    # The swap: readers wait from here to the commit, a moment.
    cursor.execute(f"DROP TABLE {TABLE}")
    cursor.execute(f"ALTER TABLE {FRESH} RENAME TO {TABLE}")
    for name, _definition, _constraint in indexes:
        # Renaming a constraint's index renames the constraint.
        cursor.execute(f"ALTER INDEX {name}{SUFFIX} RENAME TO {name}")
    cursor.execute(f"ALTER SEQUENCE IF EXISTS {FRESH}_id_seq RENAME TO {TABLE}_id_seq")
    timings["swapping"] += time.perf_counter() - started


def _live_indexes(cursor) -> list[tuple[str, str, str | None]]:
    """(name, definition, constraint type or None) of the live table's indexes."""
    cursor.execute(
        """
        SELECT index.relname, pg_get_indexdef(index.oid), constraint_.contype
        FROM pg_index
        JOIN pg_class index ON index.oid = pg_index.indexrelid
        LEFT JOIN pg_constraint constraint_ ON constraint_.conindid = index.oid
            AND constraint_.conrelid = pg_index.indrelid
        WHERE pg_index.indrelid = %s::regclass
        ORDER BY index.relname
        """,
        [TABLE],
    )
    return cursor.fetchall()


def _create_indexes(cursor, indexes: list[tuple[str, str, str | None]]) -> None:
    """The live table's `indexes` on the fresh table, named with SUFFIX."""
    for name, definition, constraint in indexes:
        fresh_name = f"{name}{SUFFIX}"
        head, on, tail = definition.partition(f" ON public.{TABLE} ")
        if not on:
            raise RuntimeError(f"Unexpected index definition: {definition}")
        cursor.execute(
            head.replace(f" INDEX {name}", f" INDEX {fresh_name}", 1) + f" ON {FRESH} " + tail
        )
        if constraint in {"p", "u"}:
            kind = "PRIMARY KEY" if constraint == "p" else "UNIQUE"
            cursor.execute(
                f"ALTER TABLE {FRESH} ADD CONSTRAINT {fresh_name} {kind} USING INDEX {fresh_name}"
            )
