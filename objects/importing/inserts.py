"""Insert many rows fast: PostgreSQL COPY where available, bulk_create elsewhere.

Building 1,000 model instances and compiling an INSERT for them costs more
than the database spends storing them; COPY takes plain tuples. Values are
plain Python (str, int, bool, None, datetime), as the importer makes them.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def column_defaults(model) -> dict[str, object]:
    """Each concrete field's default, as a new instance of `model` gets it."""
    blank = model()
    return {field.attname: getattr(blank, field.attname) for field in _insert_fields(model)}


def insert_rows(model, rows: Iterable[dict[str, object]]) -> None:
    """Insert rows given as {attname: value}; missing columns get defaults."""
    rows = list(rows)
    if not rows:
        return
    defaults = column_defaults(model)
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(model(**{**defaults, **row}) for row in rows)
        return
    fields = _insert_fields(model)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(_values(fields, defaults, row))


def _insert_fields(model) -> Sequence:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _values(fields, defaults, row) -> tuple:
    return tuple(row.get(field.attname, defaults[field.attname]) for field in fields)
