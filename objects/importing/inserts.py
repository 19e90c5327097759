"""Insert many rows fast: PostgreSQL COPY where available, bulk_create elsewhere.

Building 1,000 model instances and compiling an INSERT for them costs more
than the database spends storing them; COPY takes plain tuples. Binary COPY:
the text format spent 14 µs a row turning the four timestamps into text, and
PostgreSQL more parsing them back. Values are
plain Python (str, int, bool, None, datetime), as the importer makes them.
The new rows' ids are taken from the table's sequence first, in one query,
so they need not be looked up again afterwards; rows whose ids nobody needs
(an object's makers, subjects, places, images) are numbered by the table itself.
"""

from collections.abc import Iterable, Sequence
from operator import itemgetter

from django.db import connection


def column_defaults(model) -> dict[str, object]:
    """Each concrete field's default, as a new instance of `model` gets it."""
    blank = model()
    return {field.attname: getattr(blank, field.attname) for field in _insert_fields(model)}


def insert_rows(model, rows: Iterable[dict[str, object]]) -> list[int]:
    """Insert rows given as {attname: value}; missing columns get defaults.
    Returns the new rows' ids, in order."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return [obj.pk for obj in _bulk_create(model, rows)]
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        _copy(cursor, model, rows, ids=ids)
    return ids


def append_rows(model, rows: Iterable[dict[str, object]]) -> None:
    """Insert rows as `insert_rows` does, when their ids are not wanted: the table's
    own default numbers them, which saves asking the sequence first (a round trip
    and 1,000 ids read for each batch of an import's makers)."""
    rows = list(rows)
    if not rows:
        return
    if connection.vendor != "postgresql":
        _bulk_create(model, rows)
        return
    with connection.cursor() as cursor:
        _copy(cursor, model, rows)


def _bulk_create(model, rows: list[dict[str, object]]) -> list:
    defaults = column_defaults(model)
    return model._default_manager.bulk_create(model(**{**defaults, **row}) for row in rows)


def _copy(cursor, model, rows: list[dict[str, object]], *, ids: list[int] | None = None) -> None:
    """COPY `rows` ({attname: value}) into the model's table, with `ids` as their
    primary keys when given (else the table's default numbers them)."""
    defaults = column_defaults(model)
    fields = _insert_fields(model)
    written = fields if ids is None else [model._meta.pk, *fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in written)
    names = [field.attname for field in fields]
    # itemgetter of one name returns the value, not a 1-tuple.
    values_of = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    table = connection.ops.quote_name(model._meta.db_table)
    copy_sql = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
    # The driver's COPY bypasses Django's cursor: have its errors raised
    # as Django's (IntegrityError...), as every other query's are.
    with connection.wrap_database_errors, cursor.copy(copy_sql) as copy:
        copy.set_types([_column_type(field) for field in written])
        if ids is None:
            for row in rows:
                copy.write_row(values_of({**defaults, **row}))
        else:
            for new_id, row in zip(ids, rows, strict=True):
                copy.write_row((new_id, *values_of({**defaults, **row})))


def _column_type(field) -> str:
    """The column's type as the driver names it: "varchar(64)" is "varchar"."""
    return field.db_type(connection).split("(")[0]


def _insert_fields(model) -> Sequence:
    return [field for field in model._meta.concrete_fields if not field.primary_key]
