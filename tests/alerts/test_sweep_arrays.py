"""The sweep builds its array parameters itself (`alerts.sweep._pg_array`): every value must
reach PostgreSQL unchanged."""

import datetime as dt

import pytest
from django.db import connection

from alerts.sweep import _pg_array

pytestmark = pytest.mark.django_db

AWKWARD = [
    "plain",
    "",
    "NULL",
    "null",
    'a "quoted" word',
    "back\\slash",
    "trailing\\",
    "comma, and {braces}",
    "  spaces  ",
    "new\nline",
    "Cymraeg: ŵ ŷ – “quotes”",
    None,
]


def roundtrip(literal, cast):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT %s::{cast}", [literal])
        return cursor.fetchone()[0]


def test_text_values_arrive_unchanged():
    assert roundtrip(_pg_array(AWKWARD), "text[]") == AWKWARD


def test_numbers_and_nulls():
    values = [1, 0, -5, 2**40, None]
    assert roundtrip(_pg_array(values), "bigint[]") == values
    assert roundtrip(_pg_array([]), "int[]") == []


def test_instants_as_text_keep_their_microseconds():
    instants = [dt.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=dt.UTC), None]
    assert roundtrip(_pg_array([i and i.isoformat() for i in instants]), "timestamptz[]") == [
        instants[0],
        None,
    ]
