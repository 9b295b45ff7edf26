"""Counts whose statement is built once per process: a queryset compiled to SQL text the first
time a key is asked, and that text re-run with its bound parameters afterwards.

For a count asked on every page (the header's open alerts) whose Python build (nested EXISTS
and Q objects, then the compiler) costs more than the SQL. Only the text and its parameters are
kept, never a result: every call runs the statement. So `build(key)` must depend on nothing but
`key`: it may read neither the database nor the clock (a value read while building would be
frozen into the parameters), and the key must name everything the build branches on.
"""

from dataclasses import fields
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import connections

from .policy import Principal

_WHO = ("user", "key")


def actor_shape(actor: Principal) -> tuple:
    """A key for a statement built for `actor`: every field a policy may branch on (kind,
    organisation, roles, permissions, scopes, second factor, superuser), not which user or key."""
    return tuple((f.name, getattr(actor, f.name)) for f in fields(Principal) if f.name not in _WHO)


def actor_of_shape(shape: tuple) -> Principal:
    """The actor a statement is built for: `shape` only (its user and key are None, so a build
    that filtered on them could not freeze one person's filter into everyone's statement)."""
    return Principal(**dict(shape))


def cached_count(build, maxsize: int = 512):
    """`count(key)`: the number of rows of `build(key)`, compiled once per key (least recently
    used keys dropped past `maxsize`). `count.compiled` is the cache, for tests."""

    @lru_cache(maxsize=maxsize)
    def compiled(key):
        queryset = build(key).order_by()
        using = queryset.db
        try:
            sql, params = queryset.query.get_compiler(using).as_sql()
        except EmptyResultSet:  # `.none()`: nothing to count, nothing to run
            return None
        return using, f"SELECT COUNT(*) FROM ({sql}) AS counted", tuple(params)

    def count(key) -> int:
        statement = compiled(key)
        if statement is None:
            return 0
        using, sql, params = statement
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    count.compiled = compiled
    return count
