"""A bulk load builds the objects table's listing indexes afterwards, not row by row.

Each listing index (CollectionObject.Meta.indexes and migration 0013's) is updated
for every row an import writes; the two over the title cost the most, as each new
title lands on a random page of them. When an import at least doubles the table,
building those indexes once from the loaded rows is cheaper than keeping them row
by row (figures in docs/performance.md).

It is safe because it is one transaction: the indexes are dropped, the rows loaded
and the indexes created again before it commits, and any error rolls the whole
thing back, indexes included (PostgreSQL's DDL is transactional). Nothing ever sees
the table without them: dropping an index locks the table, so pages that read
objects wait until the load commits, then see it whole. That wait is why only a
load that at least doubles the table does this (a new site's first import, a
benchmark's top-up); everyday imports keep the indexes and commit batch by batch.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

from objects.models import CollectionObject

# Fewer new rows than this are written row by row whatever the table holds: the
# saving is a fraction of a second, not worth taking the table for.
BULK_LOAD_MIN_ROWS = 1000
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
    """Inside a transaction: drop the objects table's indexes that enforce nothing,
    run the body, then create them again as they were. Yields whether it did; False
    when readers held the table for LOCK_WAIT, and the body then runs with the
    indexes in place. If the body raises, the indexes are left for the
    transaction's rollback to restore."""
    if not connection.in_atomic_block:
        raise RuntimeError("listing_indexes_deferred() must run inside a transaction")
    definitions = _unenforcing_indexes()
    deferred = bool(definitions)
    if deferred:
        names = ", ".join(connection.ops.quote_name(name) for name, _ in definitions)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                cursor.execute(f"DROP INDEX {names}")
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
        except OperationalError:  # Not granted in time; the savepoint undid the SETs.
            deferred = False
    yield deferred
    if deferred:
        with connection.cursor() as cursor:
            # PostgreSQL builds no index on a table with foreign key checks still
            # pending: run them now rather than at commit (Django's constraints are
            # all INITIALLY DEFERRED, so DEFERRED is their state before and after).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, definition in definitions:
                cursor.execute(definition)
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
