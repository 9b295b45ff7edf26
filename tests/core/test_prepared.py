"""core/prepared.py: a statement built once and run again with new values."""

import pytest
from django.db import connection
from django.db.models import CharField, F, IntegerField

from accounts.models import Organisation
from core.prepared import InArray, Param, Prepared, Slot, bind, sql_of

pytestmark = pytest.mark.django_db


def run(sql, params, **values):
    with connection.cursor() as cursor:
        cursor.execute(sql, bind(params, values))
        return [row[0] for row in cursor.fetchall()]


def test_a_param_compiles_to_a_placeholder_bound_by_name():
    a = Organisation.objects.create(name="Alpha", slug="alpha")
    b = Organisation.objects.create(name="Beta", slug="beta")
    qs = Organisation.objects.filter(name=Param("name", CharField())).values_list("pk")
    sql, params = sql_of(qs)
    assert Slot("name") in params and "Alpha" not in sql
    assert run(sql, params, name="Alpha") == [a.pk]
    assert run(sql, params, name="Beta") == [b.pk]
    with pytest.raises(KeyError):
        bind(params, {})


def test_in_array_is_one_placeholder_whatever_the_length():
    orgs = [Organisation.objects.create(name=f"O{i}", slug=f"o{i}") for i in range(4)]
    ids = Param("ids", IntegerField())
    qs = Organisation.objects.filter(InArray(F("pk"), ids)).order_by("pk").values_list("pk")
    sql, params = sql_of(qs)
    assert run(sql, params, ids=[orgs[1].pk, orgs[3].pk]) == [orgs[1].pk, orgs[3].pk]
    assert run(sql, params, ids=[o.pk for o in orgs]) == [o.pk for o in orgs]
    assert run(sql, params, ids=[]) == []
    excluded = Organisation.objects.exclude(InArray(F("pk"), ids)).filter(slug__startswith="o")
    sql, params = sql_of(excluded.order_by("pk").values_list("pk"))
    assert run(sql, params, ids=[orgs[0].pk]) == [o.pk for o in orgs[1:]]


def test_prepared_builds_once_per_key_and_stays_bounded():
    cache = Prepared(maxsize=2)
    made = []

    def build(key):
        def make():
            made.append(key)
            return f"SELECT {key}", [Slot("x")]

        return make

    assert cache.get("a", build("a")) == ("SELECT a", (Slot("x"),))
    assert cache.get("a", build("a")) == ("SELECT a", (Slot("x"),))
    cache.get("b", build("b"))
    cache.get("a", build("a"))  # a is now the most recently used
    cache.get("c", build("c"))  # evicts b
    cache.get("a", build("a"))
    cache.get("b", build("b"))
    assert made == ["a", "b", "c", "b"] and cache.builds == 4
