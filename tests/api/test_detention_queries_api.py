"""The detentions list costs a fixed number of queries whatever the number of rows; the schema
generates without warnings."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from . import helpers as h
from .helpers import NOW, T0

pytestmark = pytest.mark.django_db


def _make(force, places, n, start):
    for i in range(n):
        who = h.person(force, given_name=f"P{start + i}")
        place = places[i % len(places)]
        h.detention(
            force,
            who,
            detained_at=T0 - timedelta(minutes=i),
            arrive_at=(place, T0 + timedelta(minutes=10)) if i % 4 != 3 else None,
        )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("query", ["", "?active=true", "?status=at_place_of_safety"])
def test_list_queries_do_not_grow_with_rows(
    force, force_api, trust_api, suite, ed, station, django_assert_max_num_queries, query
):
    places = [suite, ed, station]
    _make(force, places, 2, 0)
    # Warm up: a key's first use of the minute also stamps last_used_at (one UPDATE).
    force_api.get("/api/v1/detentions/")
    trust_api.get("/api/v1/detentions/")
    counts = {}
    for rows in (2, 20):
        if rows == 20:
            _make(force, places, 18, 2)
        for name, client in (("force", force_api), ("trust", trust_api)):
            with django_assert_max_num_queries(20) as captured:
                r = client.get(f"/api/v1/detentions/{query}")
            assert r.status_code == 200
            assert r.json()["results"], (name, rows)
            counts[name, rows] = len(captured.captured_queries)
    assert counts["force", 2] == counts["force", 20]
    assert counts["trust", 2] == counts["trust", 20]


def test_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/detentions/{id}/history/" in text
    assert "/api/v1/detentions/{id}/transfers/{transfer_id}/" in text
