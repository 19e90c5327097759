"""Writing search entries to PostgreSQL: rows through COPY into a temporary
table, each tsvector computed by the INSERT that moves them on (several times
faster than a multi-row INSERT with thousands of parameters). Binary COPY:
the text format turned each row's timestamp into text in Python, and
PostgreSQL parsed it back (as the importer found, objects/importing). Used by the
incremental updates (upserting into the live table) and by a full rebuild
(filling a fresh one, search/database_rebuild.py)."""

import orjson
from django.db import connection
from psycopg.types.json import set_json_dumps

from .backends.database import search_vector_sql
from .indexing import IndexedDocument
from .models import SearchEntry

TABLE = SearchEntry._meta.db_table
ENTRY_FIELDS = [
    f.name
    for f in SearchEntry._meta.concrete_fields
    if f.name not in {"id", "kind", "record_id", "search_vector"}
]
# Written by COPY on PostgreSQL; indexed_at and search_vector are computed.
LOADED_FIELDS = [name for name in ["kind", "record_id", *ENTRY_FIELDS] if name != "indexed_at"]
VECTOR_COLUMNS = ["vector_title", "vector_names", "vector_keywords", "vector_description"]


def copy_rows(documents: list[IndexedDocument]) -> list[list]:
    """Each document's COPY row: LOADED_FIELDS, then VECTOR_COLUMNS."""
    rows = []
    for document in documents:
        values = document.entry_values(postgres=True)
        row = [values[name] for name in LOADED_FIELDS]
        row.extend(document.vector_words())
        rows.append(row)
    return rows


def _column_types() -> list[str]:
    """The COPY columns' types as the driver names them ("varchar(64)" is "varchar")."""
    fields = [SearchEntry._meta.get_field(name) for name in LOADED_FIELDS]
    return [field.db_type(connection).split("(")[0] for field in fields] + ["text"] * len(
        VECTOR_COLUMNS
    )


def load_entries(cursor, rows: list[list], *, table: str = TABLE, upsert: bool = True) -> None:
    """Write `rows` (from `copy_rows`) into `table` with a psycopg cursor.

    upsert: a row already there for the same record is replaced, unless all its
    values are unchanged, when it is left alone (its `indexed_at` too): a full
    rebuild over the live table then writes no dead row versions and no GIN
    entries for the records that did not change. Without it every row is
    inserted: a fresh table has none yet."""
    columns = ", ".join(LOADED_FIELDS)
    vector_columns = ", ".join(f"''::text AS {name}" for name in VECTOR_COLUMNS)
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS search_entry_load ON COMMIT DELETE ROWS AS "  # noqa: S608  (names from the model)
        f"SELECT {columns}, {vector_columns} FROM {TABLE} WITH NO DATA"
    )
    cursor.execute("TRUNCATE search_entry_load")
    loaded = f"{columns}, {', '.join(VECTOR_COLUMNS)}"
    copy_sql = f"COPY search_entry_load ({loaded}) FROM STDIN (FORMAT BINARY)"
    set_json_dumps(orjson.dumps, context=cursor)  # the facet key lists, as jsonb
    with cursor.copy(copy_sql) as copy:
        copy.set_types(_column_types())
        for row in rows:
            copy.write_row(row)
    insert = (
        f"INSERT INTO {table} ({columns}, search_vector, indexed_at) "  # noqa: S608
        f"SELECT {columns}, {search_vector_sql(*VECTOR_COLUMNS)}, now() FROM search_entry_load"
    )
    if upsert:
        updated = [
            *(name for name in LOADED_FIELDS if name not in {"kind", "record_id"}),
            "search_vector",
        ]
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in updated)
        current = ", ".join(f"{table}.{name}" for name in updated)
        incoming = ", ".join(f"EXCLUDED.{name}" for name in updated)
        insert += (
            f" ON CONFLICT (kind, record_id) DO UPDATE SET {updates}, indexed_at = now() "
            f"WHERE ({current}) IS DISTINCT FROM ({incoming})"
        )
    cursor.execute(insert)
