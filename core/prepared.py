"""Statements built once and run again with new values.

Building a Django queryset (`filter`, `annotate`, resolving each expression) and compiling it
costs CPU on every request; for a statement with a hundred filtered aggregates it costs more
than running it. A `Param` stands in a queryset for a value that changes from one run to the
next: it compiles to a placeholder whose parameter is a `Slot`, so the compiled SQL text can be
kept (`Prepared`, keyed by everything that changes its shape) and run with `bind`.

Only SQL text is kept, never a result; the values are bound each time. What goes into the key is
the caller's duty: anything that changes the statement's text (which filters are present, which
column is read), never a value that could be a `Param`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock

from django.db.models import BooleanField, Expression, Func


@dataclass(frozen=True)
class Slot:
    """A parameter of compiled SQL to be filled from the values by name."""

    name: str


class Param(Expression):
    """A value bound at run time (`bind`), of type `output_field`."""

    def __init__(self, name: str, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [Slot(self.name)]

    def get_group_by_cols(self):
        return []


class InArray(Func):
    """`column = ANY(array)`, a condition for `filter`/`exclude`: the array is one parameter
    (a `Param` bound to a list), whatever its length, so the statement's text does not change."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, array = (compiler.compile(e) for e in self.get_source_expressions())
        return f"{column[0]} = ANY({array[0]})", [*column[1], *array[1]]


def bind(params: Sequence, values: Mapping) -> list:
    """`params` with each `Slot` replaced by its value (KeyError if a value is missing)."""
    return [values[p.name] if isinstance(p, Slot) else p for p in params]


def sql_of(queryset) -> tuple[str, tuple]:
    """The SQL text and parameters (with `Slot`s) of a queryset, as it would run."""
    return queryset.query.sql_with_params()


class Prepared:
    """A bounded, process-local cache of compiled statements: `get(key, build)` returns the
    `(sql, params)` that `build()` made the first time for `key`."""

    def __init__(self, maxsize: int = 512):
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, tuple[str, tuple]] = OrderedDict()
        self._lock = Lock()
        self.builds = 0  # how many statements were built (tests read it)

    def get(self, key: Hashable, build: Callable[[], tuple[str, Sequence]]) -> tuple[str, tuple]:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
                return item
        sql, params = build()
        item = (sql, tuple(params))
        with self._lock:
            self.builds += 1
            self._items[key] = item
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
