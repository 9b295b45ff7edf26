"""detentions/{id}/history/ and corrections/: every change to the detention and its events, who
made it (API key name or username), the reason, and [old, new] per field."""

from datetime import timedelta

import pytest
import time_machine

from detentions.models import Correction, Detention, WelfareCheck

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)
ARRIVED = T0 + timedelta(minutes=30)


def _fill(force_api, d, station):
    for minutes in (20, 45):
        r = force_api.post(
            h.url(d, "welfare-checks"),
            {"checked_at": iso(ARRIVED + timedelta(minutes=minutes)), "professional_name": "N"},
            format="json",
        )
        assert r.status_code == 201, r.content
    r = force_api.post(
        h.url(d, "reviews"),
        {"reviewed_at": iso(ARRIVED + timedelta(minutes=50)), "conditions_met": True},
        format="json",
    )
    assert r.status_code == 201


@at_now
def test_history_covers_the_detention_and_its_events(force, force_api, officer, api_as, station):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    _fill(force_api, d, station)
    r = api_as(officer).post(
        h.url(d, "handover"),
        {"handed_over_at": iso(ARRIVED + timedelta(minutes=55)), "received_by": "Nurse"},
        format="json",
    )
    assert r.status_code == 201
    r = force_api.get(h.url(d, "history"))
    assert r.status_code == 200
    entries = r.json()
    records = {e["record"].split(":")[0] for e in entries}
    assert records >= {
        "detention",
        "arrival",
        "police_station_decision",
        "welfare_check",
        "review",
        "handover",
    }
    times = [e["changed_at"] for e in entries]
    assert times == sorted(times)
    check = next(e for e in entries if e["record"].startswith("welfare_check:"))
    assert check["changed_by"] == "force-cad"  # the API key's name
    assert check["change_type"] == "created"
    assert check["changes"]["professional_name"] == [None, "N"]
    assert check["changes"]["checked_at"] == [None, "2026-03-28T21:20:00Z"]
    handover = next(e for e in entries if e["record"].startswith("handover:"))
    assert handover["changed_by"] == "officer"  # the username
    first = entries[0]
    assert first["record"] == f"detention:{d.pk}" and first["changed_by"] == "command:tests"
    changed = [
        e for e in entries if e["record"] == f"detention:{d.pk}" and e["change_type"] == "changed"
    ]
    assert any("next_welfare_check_due_at" in e["changes"] for e in changed)
    assert all(
        set(e) >= {"changed_at", "changed_by", "change_type", "changes", "record", "reason"}
        for e in entries
    )


@at_now
def test_history_query_count_does_not_grow_with_events(
    force, force_api, station, django_assert_max_num_queries
):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    with django_assert_max_num_queries(40) as small:
        force_api.get(h.url(d, "history"))
    _fill(force_api, d, station)
    _fill(force_api, d, station)
    with django_assert_max_num_queries(40) as large:
        force_api.get(h.url(d, "history"))
    assert len(large.captured_queries) == len(small.captured_queries)


@at_now
def test_correction_of_an_ended_detention_keeps_the_original(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(d, "end"),
        {"ended_at": iso(ARRIVED + timedelta(hours=2)), "outcome": "other"},
        format="json",
    )
    assert r.status_code == 200
    r = force_api.post(
        h.url(d, "corrections"),
        {
            "target": "detention",
            "kind": "wrong_time",
            "reason": "End typed wrong",
            "changes": {"ended_at": iso(ARRIVED + timedelta(hours=3)), "outcome": "detained_s2"},
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["ended_at"] == "2026-03-29T00:00:00Z"
    assert body["outcome"] == "detained_s2"
    assert body["corrections"][0]["changes"]["outcome"] == ["other", "detained_s2"]
    entries = force_api.get(h.url(d, "history")).json()
    corrected = [e for e in entries if e["reason"] and e["record"] == f"detention:{d.pk}"]
    assert corrected[-1]["changes"]["outcome"] == ["other", "detained_s2"]
    assert "End typed wrong" in corrected[-1]["reason"]
    assert any(e["record"].startswith("correction:") for e in entries)


@at_now
def test_correction_of_an_event_and_deletion(force, force_api, station):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    _fill(force_api, d, station)
    check = WelfareCheck.objects.filter(detention=d).first()
    r = force_api.post(
        h.url(d, "corrections"),
        {
            "target": f"welfare_check:{check.pk}",
            "kind": "wrong_time",
            "reason": "Clock on the wall was wrong",
            "changes": {"checked_at": iso(ARRIVED + timedelta(minutes=15))},
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    check.refresh_from_db()
    assert check.checked_at == ARRIVED + timedelta(minutes=15)
    r = force_api.post(
        h.url(d, "corrections"),
        {
            "target": f"welfare_check:{check.pk}",
            "kind": "entered_in_error",
            "reason": "Duplicate",
            "delete": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert not WelfareCheck.objects.filter(pk=check.pk).exists()
    entries = force_api.get(h.url(d, "history")).json()
    mine = [e for e in entries if e["record"] == f"welfare_check:{check.pk}"]
    assert [e["change_type"] for e in mine] == ["created", "changed", "deleted"]
    assert mine[1]["changes"]["checked_at"] == ["2026-03-28T21:20:00Z", "2026-03-28T21:15:00Z"]


@at_now
def test_correction_refusals_change_nothing(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    before = (Correction.objects.count(), Detention.history.count())

    def post(**body):
        body = {"target": "detention", "kind": "other", "reason": "Why", **body}
        return force_api.post(h.url(d, "corrections"), body, format="json")

    assert h.errors(post(reason="", changes={"location_description": "x"})) == [
        ("reason_required", "reason")
    ]
    assert h.errors(post(changes={"reference": "X"})) == [("invalid", "changes.reference")]
    assert h.errors(post(changes={"detained_at": "2026-03-28T20:00:00"})) == [
        ("timezone_required", "changes.detained_at")
    ]
    r = post(changes={"detained_at": iso(ARRIVED + timedelta(minutes=5))})  # after the arrival
    assert r.status_code == 400 and "time_order" in h.codes(r)
    assert h.errors(post(target="transfer:999", changes={})) == [("does_not_exist", "target")]
    assert h.errors(post(target="nonsense")) == [("invalid", "target")]
    assert h.errors(post(kind="bogus", changes={"location_description": "x"})) == [
        ("invalid_choice", "kind")
    ]
    r = post(reason="x" * 300, changes={"location_description": "x"})
    assert h.errors(r) == [("max_length", "reason")]  # not a database error
    assert (Correction.objects.count(), Detention.history.count()) == before
