"""A bulk load builds the objects table's listing indexes afterwards, not row by row.

Each listing index (CollectionObject.Meta.indexes and migration 0013's) is updated
for every row an import writes; the two over the title cost the most, as each new
title lands on a random page of them. When an import at least doubles the table,
building those indexes once from the loaded rows is cheaper than keeping them row
by row (figures in docs/performance.md). Likewise the foreign keys among the
collection's own tables (an object's type and production, its makers, subjects,
places and images rows): checked row by row they queue a trigger event for every key
of every row and run one lookup each at commit, 15 µs a row; dropped for the load and
added back, PostgreSQL checks each in one join over the whole table (0.2 s for
200,000 objects instead of 2 s).

It is safe because it is one transaction: the indexes are dropped, the rows loaded
and the indexes created again before it commits, and any error rolls the whole
thing back, indexes and keys included (PostgreSQL's DDL is transactional). Nothing
ever sees the tables without them: dropping an index or a key locks the tables it
touches (the objects table, its relation tables and the makers, subjects, places,
productions and object types they point to), so pages that read them wait until the
load commits, then see it whole; adding a key back checks every row, so a load that
broke one fails as a whole. That wait is why only a
load that at least doubles the table does this (a new site's first import, a
benchmark's top-up); everyday imports keep the indexes and commit batch by batch.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

from objects.models import (
    CollectionObject,
    Maker,
    ObjectImage,
    ObjectMaker,
    ObjectType,
    Place,
    Production,
    Subject,
)

# Tables the load writes, and the collection tables their keys may point to. Keys to
# other apps' tables (users, revisions, images) stay: locking those would stop the
# admin, and their columns are blank on the rows an import writes.
_WRITTEN = (
    CollectionObject,
    ObjectMaker,
    ObjectImage,
    CollectionObject.subjects.through,
    CollectionObject.places.through,
)
_COLLECTION = (*_WRITTEN, Maker, Subject, Place, Production, ObjectType)

# Fewer new rows than this are written row by row whatever the table holds: the
# saving is a fraction of a second, not worth taking the table for.
BULK_LOAD_MIN_ROWS = 1000
# Memory each index build may sort in (PostgreSQL's default is 64MB), until the load commits.
INDEX_BUILD_MEMORY = "256MB"
# How long to wait for readers to let go of the table before loading row by row
# instead (pages queue behind a waiting lock, so not long).
LOCK_WAIT = "5s"


def bulk_load_planned(*, new_rows: int) -> bool:
    """Whether an import adding `new_rows` objects should defer the listing indexes:
    PostgreSQL, at least BULK_LOAD_MIN_ROWS new rows, and no more already stored."""
    if connection.vendor != "postgresql" or new_rows < BULK_LOAD_MIN_ROWS:
        return False
    # Counts at most new_rows rows, however large the table.
    stored = CollectionObject.objects.order_by().values("pk")[:new_rows].count()
    return stored < new_rows


@contextmanager
def listing_indexes_deferred() -> Iterator[bool]:
    """Inside a transaction: drop the objects table's indexes that enforce nothing
    and the foreign keys among the collection's tables, run the body, then create
    them again as they were. Yields whether it did; False when readers held the
    tables for LOCK_WAIT, and the body then runs with indexes and keys in place. If
    the body raises, they are left for the transaction's rollback to restore."""
    if not connection.in_atomic_block:
        raise RuntimeError("listing_indexes_deferred() must run inside a transaction")
    definitions = _unenforcing_indexes()
    keys = _collection_foreign_keys()
    deferred = bool(definitions)
    if deferred:
        names = ", ".join(connection.ops.quote_name(name) for name, _ in definitions)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                cursor.execute(f"DROP INDEX {names}")
                for table, name, _ in keys:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
        except OperationalError:  # Not granted in time; the savepoint undid the SETs.
            deferred = False
    yield deferred
    if deferred:
        with connection.cursor() as cursor:
            # PostgreSQL builds no index on (nor alters) a table with foreign key
            # checks still pending: run them now rather than at commit (Django's
            # constraints are all INITIALLY DEFERRED, so DEFERRED is their state
            # before and after).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Sorting a million titles in memory rather than in temporary files:
            # 13.5 -> 12.4 s for the twelve indexes at a million objects.
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for _, definition in definitions:
                cursor.execute(definition)
            # Each key added back checks every row in one query.
            for table, name, definition in keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _unenforcing_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of each index on the objects table that backs
    no constraint: the listing indexes, and those Wagtail's mixins declare."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, pg_get_indexdef(index.oid)
            FROM pg_index
            JOIN pg_class index ON index.oid = pg_index.indexrelid
            WHERE pg_index.indrelid = %s::regclass
              AND NOT pg_index.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = index.oid)
            ORDER BY index.relname
            """,
            [CollectionObject._meta.db_table],
        )
        return cursor.fetchall()


def _collection_foreign_keys() -> list[tuple[str, str, str]]:
    """(table, constraint, definition) of each foreign key from a table the load
    writes to one of the collection's tables, names quoted."""
    tables = [model._meta.db_table for model in _WRITTEN]
    targets = [model._meta.db_table for model in _COLLECTION]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f'
              AND conrelid = ANY(%s::regclass[])
              AND confrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [tables, targets],
        )
        return cursor.fetchall()
