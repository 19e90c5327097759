"""Querysets built and compiled to SQL once per process.

Building a queryset (its filters, annotations and subqueries) and compiling it to
SQL is Python work that does not depend on the data. For the queries of a cold
page it took longer than PostgreSQL took to run them: home's stories query spent
about 7 ms in Python around a 2.5 ms round trip. A query of a fixed shape compiles
to the same SQL every time, so `compiled_once(key, build, *arguments)` builds and
compiles it the first time a process meets `key`, and afterwards runs the SQL it
kept with each call's arguments, reading rows with the column map Django made then.

The arguments (whole numbers, text, or on PostgreSQL a list of whole numbers given
to a `__any` lookup) are what changes from call to call: the query is built with a
stand-in for each, and each stand-in's place among the parameters takes the call's
value. Anything else the query takes from Python must be named in the key: two
queries under one key would show one page another's rows. With
COMPILED_QUERIES_CHECK on (the test settings), every reuse is built and compiled
again with the real arguments and compared with what was kept, so a key or an
argument that is missing fails the tests.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql.query import Query

# Enough for every shape of query a process serves (a few per page type, some per
# home page and day); the least recently used go first beyond that.
MAX_KEPT = 512
# Stand-ins: values no argument has (ids are positive), inside a 32-bit integer
# column's range, where Django would otherwise drop the condition as impossible.
FIRST_INTEGER_STAND_IN = -2_000_000_000
TEXT_STAND_IN = "\ue000compiled-once-{}\ue000"


class CompiledQueryMismatch(AssertionError):
    """A kept query compiles differently with the real arguments: its key or its
    arguments miss a value it takes from Python."""


@dataclass(frozen=True)
class _Compiled:
    """The SQL, where each argument goes among its parameters, and what a compiler
    holds after compiling that reading rows needs."""

    sql: str
    params: tuple
    places: tuple[tuple[int, int], ...]  # (parameter index, argument index)
    select: list
    klass_info: dict | None
    annotation_col_map: dict | None
    col_count: int
    has_extra_select: bool

    def params_for(self, arguments: tuple) -> tuple:
        params = list(self.params)
        for index, argument in self.places:
            params[index] = arguments[argument]
        return tuple(params)

    def restore(self, compiler, arguments: tuple) -> tuple[str, tuple]:
        compiler.select = self.select
        compiler.klass_info = self.klass_info
        compiler.annotation_col_map = self.annotation_col_map
        compiler.col_count = self.col_count
        compiler.has_extra_select = self.has_extra_select
        return self.sql, self.params_for(arguments)


@dataclass
class _Kept:
    key: Hashable
    queryset: QuerySet  # built with stand-ins, never evaluated: each use runs a copy
    stand_ins: tuple
    compiled: _Compiled | None = None


# Per process (which serves one database): key -> what was built and compiled under it.
_kept: OrderedDict[Hashable, _Kept] = OrderedDict()
_lock = threading.Lock()


def compiled_once(key: Hashable, build: Callable[..., QuerySet], *arguments) -> QuerySet:
    """`build(*arguments)`, built and compiled once per process for `key`, which names
    every value the query takes from Python but `arguments`. Evaluate it as it is
    (iterate, list): it cannot be filtered, sliced or otherwise changed."""
    # A list goes to the database as an array, which a tuple would not.
    arguments = tuple(list(a) if isinstance(a, tuple) else a for a in arguments)
    if not _keepable(arguments):
        return build(*arguments)
    with _lock:  # threaded servers and workers share the dict
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None:
        stand_ins = tuple(_stand_in(i, argument) for i, argument in enumerate(arguments))
        kept = _Kept(key=key, queryset=build(*stand_ins), stand_ins=stand_ins)
        with _lock:
            _kept[key] = kept
            while len(_kept) > MAX_KEPT:
                _kept.popitem(last=False)
    if settings.COMPILED_QUERIES_CHECK and kept.compiled is not None:
        _check(kept, build(*arguments), arguments)
    queryset = kept.queryset._chain()
    queryset.query.__class__ = _CompiledOnceQuery
    queryset.query.kept = kept
    queryset.query.arguments = arguments
    return queryset


def forget_compiled_queries() -> None:
    """Build and compile every query again, as a new process would."""
    _kept.clear()


def _keepable(arguments: tuple) -> bool:
    # A list is one parameter only through PostgreSQL's `= ANY(%s)` (objects/lookups.py).
    return connection.vendor == "postgresql" or not any(
        isinstance(argument, list | tuple) for argument in arguments
    )


def _stand_in(index: int, argument) -> Any:
    if isinstance(argument, bool):
        raise TypeError("compiled_once: name a true/false value in the key, not an argument")
    if isinstance(argument, int):
        return FIRST_INTEGER_STAND_IN - index
    if isinstance(argument, str):
        return TEXT_STAND_IN.format(index)
    if isinstance(argument, list | tuple) and all(
        isinstance(value, int) and not isinstance(value, bool) for value in argument
    ):
        return [FIRST_INTEGER_STAND_IN - index]
    raise TypeError(
        f"compiled_once: argument {index} ({argument!r}) must be a whole number, text, "
        "or a list of whole numbers"
    )


def _places(kept: _Kept, params: tuple) -> tuple[tuple[int, int], ...]:
    places = []
    for argument, stand_in in enumerate(kept.stand_ins):
        found = [i for i, param in enumerate(params) if _same(param, stand_in)]
        if not found:
            raise TypeError(
                f"compiled_once key {kept.key!r}: argument {argument} is not one of the "
                "query's parameters as given (a list must go to a `__any` lookup, and "
                "text to a lookup that does not rewrite it)"
            )
        places += [(i, argument) for i in found]
    return tuple(places)


def _same(param, stand_in) -> bool:
    return type(param) is type(stand_in) and param == stand_in


def _check(kept: _Kept, rebuilt: QuerySet, arguments: tuple) -> None:
    compiler = rebuilt.query.get_compiler(using=rebuilt.db)
    sql, params = compiler.as_sql()
    expected = kept.compiled.params_for(arguments)
    if (sql, tuple(params)) != (kept.compiled.sql, expected):
        raise CompiledQueryMismatch(
            f"compiled_once key {kept.key!r} was kept for another query: name every "
            f"value the query takes from Python in its key or its arguments.\n"
            f"kept:  {kept.compiled.sql} {expected}\nbuilt: {sql} {tuple(params)}"
        )


class _CompiledOnceQuery(Query):
    kept: _Kept
    arguments: tuple

    def clone(self):
        # Every change (filter, slice, count, exists) starts with a clone.
        raise TypeError(
            "A queryset from compiled_once() runs the SQL it was compiled to: build "
            "the changed query in its build function instead."
        )

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        compiler.as_sql = _kept_sql(compiler, self.kept, self.arguments)
        return compiler


def _kept_sql(compiler, kept: _Kept, arguments: tuple) -> Callable[..., tuple[str, Any]]:
    compile_now = compiler.as_sql

    def as_sql(*args, **kwargs):
        if kept.compiled is None:
            sql, params = compile_now(*args, **kwargs)
            kept.compiled = _Compiled(
                sql=sql,
                params=tuple(params),
                places=_places(kept, tuple(params)),
                select=compiler.select,
                klass_info=compiler.klass_info,
                annotation_col_map=compiler.annotation_col_map,
                col_count=compiler.col_count,
                has_extra_select=compiler.has_extra_select,
            )
        return kept.compiled.restore(compiler, arguments)

    return as_sql
