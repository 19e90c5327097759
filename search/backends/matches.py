"""One pass over a text search's matches, for the database backend
(database.py): every facet's counts and the page of hits, for the query as
typed and, when it looks misspelt, as corrected, in one statement.

At a million records reading the matching rows is most of a search's time:
each match sits on a table page of its own (~5 µs a page from the operating
system's cache), so a search that counted its facets in one query and ranked
its hits in another read every match twice. Here the matches are read once,
into a materialized CTE holding only what counting and ordering need, and
the counts and the pages both come from it. The counts group the matches by
their whole list of facet keys before unnesting it: records share a few
thousand combinations of facet values, so each list is taken apart once per
combination rather than once per match.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Expression, Q, QuerySet, Value

from ..models import SearchEntry

# The columns a hit is shown from, read for the page's rows only.
HIT_FIELDS = [
    "kind", "record_id", "title", "url", "summary", "identifier", "description", "has_image",
]  # fmt: skip
# Each sort as SQL over the CTE's columns; "{rank}" is the reading's rank column.
ORDERINGS = {
    "relevance": "m.{rank} DESC, m.id",
    "date": "m.date_earliest ASC NULLS LAST, m.id",
    "-date": "m.date_earliest DESC NULLS LAST, m.id",
    "title": "m.sort_title, m.id",
}
# The CTE's columns each sort needs besides the rank.
SORT_COLUMNS = {
    "relevance": [],
    "date": ["date_earliest"],
    "-date": ["date_earliest"],
    "title": ["sort_title"],
}


@dataclass(frozen=True)
class Reading:
    """One way of reading the query: which entries it matches (a boolean
    expression) and their relevance (a float expression)."""

    condition: Expression
    rank: Expression


@dataclass
class Matched:
    """What one reading matched: facet key -> count, and the page's rows
    (dicts of HIT_FIELDS) in order."""

    counts: dict[str, int]
    page: list[dict]


def match_once(
    entries: QuerySet[SearchEntry], readings: list[Reading], *, sort: str, offset: int, limit: int
) -> list[Matched]:
    """For each reading, its facet counts among `entries` and its page of
    hits (`limit` rows from `offset`, in `sort` order), in one query."""
    flags = [f"reading_{n}" for n in range(len(readings))]
    ranks = [f"rank_{n}" for n in range(len(readings))]
    annotations = {}
    for flag, rank, reading in zip(flags, ranks, readings, strict=True):
        # One reading matches every row selected: no need to test it twice.
        annotations[flag] = reading.condition if len(readings) > 1 else Value(True, BooleanField())
        if sort == "relevance":
            annotations[rank] = reading.rank
    either = Q()
    for reading in readings:
        either |= Q(reading.condition)
    columns = ["id", "facet_keys", *SORT_COLUMNS[sort], *annotations]
    inner_sql, params = (
        entries.annotate(**annotations).filter(either).order_by().values(*columns)
    ).query.sql_with_params()
    hit_columns = ", ".join(f"e.{name}" for name in HIT_FIELDS)
    nothing = ", ".join("NULL" for _name in HIT_FIELDS)
    counted = ", ".join(f"CAST(SUM(g.n) FILTER (WHERE g.{flag}) AS BIGINT)" for flag in flags)
    no_counts = ", ".join("NULL" for _flag in flags)
    arms = [
        f"SELECT k.value, {counted}, NULL, NULL, {nothing}"  # noqa: S608  (names fixed here)
        f" FROM (SELECT m.facet_keys, {', '.join(f'm.{flag}' for flag in flags)}, COUNT(*) AS n"
        f" FROM m GROUP BY m.facet_keys, {', '.join(f'm.{flag}' for flag in flags)}) AS g,"
        f" {unnest_facet_keys('g.facet_keys')} GROUP BY k.value"
    ]
    for n, (flag, rank) in enumerate(zip(flags, ranks, strict=True)):
        ordering = ORDERINGS[sort].format(rank=rank)
        # The page first (a top-N sort of the matches), then numbered: the
        # UNION does not promise to keep any order.
        page = f"SELECT * FROM m WHERE m.{flag} ORDER BY {ordering} LIMIT %s OFFSET %s"  # noqa: S608
        arms.append(
            f"SELECT NULL, {no_counts}, {n}, p.position, {hit_columns} FROM ("  # noqa: S608
            f"SELECT m.id, ROW_NUMBER() OVER (ORDER BY {ordering}) AS position"
            f" FROM ({page}) AS m) AS p JOIN search_searchentry e ON e.id = p.id"
        )
        params = (*params, limit, offset)
    sql = f"WITH m AS MATERIALIZED ({inner_sql}) " + " UNION ALL ".join(arms)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _matched(rows, len(readings))


def unnest_facet_keys(column: str) -> str:
    """SQL for a row per facet key of `column` (a list of them), as k.value."""
    if connection.vendor == "postgresql":
        return f"jsonb_array_elements_text({column}) AS k(value)"
    return f"json_each({column}) AS k"


def _matched(rows: list[tuple], readings: int) -> list[Matched]:
    results = [Matched({}, []) for _n in range(readings)]
    pages: list[list[tuple[int, dict]]] = [[] for _n in range(readings)]
    for key, *rest in rows:
        counts, (reading, position, *hit) = rest[:readings], rest[readings:]
        if reading is None:
            for result, count in zip(results, counts, strict=True):
                if count:
                    result.counts[key] = count
        else:
            pages[reading].append((position, dict(zip(HIT_FIELDS, hit, strict=True))))
    for result, page in zip(results, pages, strict=True):
        result.page = [row for _position, row in sorted(page, key=lambda item: item[0])]
    return results
