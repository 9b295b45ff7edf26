"""R1 (record what happened) and R2 (late entries) through the API: the default refusal says it
is recordable; with `record_as_happened` and an `account` the act is recorded, flagged on the
event and the detention, alerted once, counted in the return; a late entry is audited and marked
and raises no alert."""

from datetime import date, timedelta

import pytest
import time_machine

from alerts.models import Alert
from detentions.models import Correction, Detention, DetentionArrival, Extension, UnlawfulAct

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)
ARRIVED = T0 + timedelta(minutes=30)
ACCOUNT = "Violent and injured; the only cell free; nurse present throughout."


def counts():
    return [
        (m.objects.count(), m.history.count())
        for m in (Detention, DetentionArrival, UnlawfulAct, Alert)
    ]


@at_now
def test_r1_a_child_held_at_a_police_station_is_recorded_as_it_happened(
    force, force_api, api_for, station
):
    child = h.person(force, date_of_birth=date(2009, 6, 1))  # 16
    d = h.detention(force, child)
    body = h.station_arrival(station, ARRIVED)
    before = counts()
    # The default path still refuses, and says the refusal is recordable.
    r = force_api.post(h.url(d, "arrival"), body, format="json")
    assert r.status_code == 400
    assert h.first_error(r) == ("child_police_station", "place_of_safety", True)
    # The confirmation needs the account.
    r = force_api.post(h.url(d, "arrival"), {**body, "record_as_happened": True}, format="json")
    assert h.errors(r) == [("required", "account")]
    assert counts() == before

    r = force_api.post(
        h.url(d, "arrival"),
        {**body, "record_as_happened": True, "account": ACCOUNT},
        format="json",
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert [(u["rule"], u["code"], u["account"]) for u in data["unlawful"]] == [
        ("PS1", "child_police_station", ACCOUNT)
    ]
    assert data["arrival"]["unlawful"] == data["unlawful"]
    assert data["unlawful"][0]["recorded_by"] == "force-cad"
    # The clock is the engine's own: an unlawful police-station use is still one.
    assert data["at_police_station"] is True
    assert data["expires_at"] == (ARRIVED + timedelta(hours=24)).isoformat().replace("+00:00", "Z")
    # One alert, to the force's mental health lead and the inspectors.
    alerts = Alert.objects.filter(detention=d, kind="unlawful_act_recorded")
    assert alerts.count() == 1
    assert set(alerts.get().roles) == {"mh_tactical_adviser", "inspector"}
    assert force.pk in alerts.get().organisations
    # In history with who recorded it, and the lead's review after it.
    act = UnlawfulAct.objects.get(detention=d)
    assert act.history.get().changed_by == "force-cad"
    from core.actor import acting_as, command_actor
    from detentions import unlawful

    with acting_as(command_actor("lead-review")):
        unlawful.review(act, note="Referred to the IOPC")
    history = force_api.get(h.url(d, "history")).json()
    entries = [e for e in history if e["record"] == f"unlawful_act:{act.pk}"]
    assert [e["change_type"] for e in entries] == ["created", "changed"]
    assert entries[1]["changes"]["review_decision"] == ["", "reviewed"]
    # Counted in the return.
    reports = api_for(force, "reports:read")
    r = reports.get("/api/v1/reports/s136-return/", {"from": "2026-03-01", "to": "2026-03-31"})
    assert r.status_code == 200, r.content
    assert r.json()["under_18_at_police_station"] == 1
    assert r.json()["unlawful_acts"] == 1


@at_now
def test_r1_a_refusal_that_is_not_recordable_stays_a_refusal(force, force_api, suite):
    d = h.detention(force)
    before = counts()
    r = force_api.post(
        h.url(d, "arrival"),
        {
            "place_of_safety": suite.pk,
            "arrived_at": iso(T0 - timedelta(minutes=5)),
            "record_as_happened": True,
            "account": ACCOUNT,
        },
        format="json",
    )
    assert h.errors(r) == [("time_order", "arrived_at")]
    assert "recordable" not in r.json()["errors"][0]
    assert counts() == before


@at_now
def test_r1_an_over_long_extension_recorded_as_it_happened_adds_no_time(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    body = {
        "authorised_at": iso(NOW - timedelta(minutes=5)),
        "hours": 14,
        "doctor_name": "Dr Foster",
        "doctor_gmc_number": "7654321",
        "ground": "bed_unavailable",
        "record_as_happened": True,
        "account": "The doctor wrote 14 hours awaiting a bed.",
    }
    r = force_api.post(h.url(d, "extension"), body, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert {(u["rule"], u["code"]) for u in data["extension"]["unlawful"]} == {
        ("E3", "extension_too_long"),
        ("E4", "extension_ground_invalid"),
    }
    assert data["extended_until"] is None
    assert data["expires_at"] == (ARRIVED + timedelta(hours=24)).isoformat().replace("+00:00", "Z")
    assert Extension.objects.get(detention=d).hours == 14


@at_now
def test_r1_an_unlawful_transfer_is_not_asked_again_at_its_arrival(force, force_api, ed, station):
    d = h.detention(force, arrive_at=(ed, ARRIVED))
    sergeant = {**h.POLICE_STATION_DECISION, "decision_maker_rank": "sergeant"}
    sergeant["authorised_at"] = iso(ARRIVED + timedelta(minutes=50))
    r = force_api.post(
        h.url(d, "transfers"),
        {
            "to_place_of_safety": station.pk,
            "departed_at": iso(ARRIVED + timedelta(hours=1)),
            "police_station_decision": sergeant,
            "record_as_happened": True,
            "account": "Sergeant decided alone at night.",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    transfer = r.json()["transfers"][-1]
    assert [(u["rule"], u["code"]) for u in transfer["unlawful"]] == [
        ("PS2", "police_station_conditions")
    ]
    r = force_api.patch(
        h.url(d, f"transfers/{transfer['id']}"),
        {"arrived_at": iso(ARRIVED + timedelta(hours=2))},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert len(r.json()["unlawful"]) == 1
    assert Alert.objects.filter(detention=d, kind="unlawful_act_recorded").count() == 1


@at_now
def test_r1_a_return_after_the_retaking_window_is_recorded_as_it_happened(force, force_api):
    d = h.detention(force, detained_at=NOW - timedelta(hours=30), now=NOW)
    escaped = NOW - timedelta(hours=29)
    r = force_api.post(h.url(d, "escape"), {"escaped_at": iso(escaped)}, format="json")
    assert r.status_code == 201, r.content
    late = {"returned_at": iso(escaped + timedelta(hours=25))}
    r = force_api.post(h.url(d, "return"), late, format="json")
    assert h.errors(r) == [("retake_period_expired", "returned_at")]
    r = force_api.post(
        h.url(d, "return"),
        {**late, "record_as_happened": True, "account": "Found and brought back."},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert [(u["rule"], u["code"]) for u in r.json()["escapes"][0]["unlawful"]] == [
        ("X1", "retake_period_expired")
    ]


# --- R2: late entries -------------------------------------------------------------------------


def _ended(force, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    from core.actor import acting_as, command_actor
    from detentions import services

    with acting_as(command_actor("tests")):
        services.end_detention(
            d, ended_at=ARRIVED + timedelta(hours=3), outcome="admitted_informal", now=NOW
        )
    return d


@at_now
def test_r2_a1_an_assessment_step_is_entered_late_after_the_end(force, force_api, suite):
    d = _ended(force, suite)
    started = iso(ARRIVED + timedelta(hours=1))
    # The ordinary door is closed after the end (C7) ...
    r = force_api.post(h.url(d, "assessment"), {"started_at": started}, format="json")
    assert r.status_code == 409
    alerts = Alert.objects.count()
    # ... the late entry is the audited path.
    r = force_api.post(
        h.url(d, "late-entries"),
        {"event": "assessment", "reason": "Paper notes typed up next day", "started_at": started},
        format="json",
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["assessment"]["started_at"] == started.replace("+00:00", "Z")
    assert data["assessment"]["entered_late"] is True
    late = [c for c in data["corrections"] if c["kind"] == "late_entry"]
    assert [c["reason"] for c in late] == ["Paper notes typed up next day"]
    assert Alert.objects.count() == alerts  # no new alert
    history = force_api.get(h.url(d, "history")).json()
    reasons = [e["reason"] for e in history if e["record"].startswith("assessment:")]
    assert reasons == ["late entry: Paper notes typed up next day"]


@at_now
def test_r2_a_late_entry_lies_within_the_span_and_needs_a_reason(force, force_api, suite):
    d = _ended(force, suite)
    after_end = iso(ARRIVED + timedelta(hours=4))
    before = counts()
    r = force_api.post(
        h.url(d, "late-entries"),
        {
            "event": "welfare-checks",
            "reason": "late",
            "checked_at": after_end,
            "professional_name": "Nurse A",
        },
        format="json",
    )
    assert h.errors(r) == [("time_order", "checked_at")]
    r = force_api.post(
        h.url(d, "late-entries"),
        {
            "event": "welfare-checks",
            "reason": " ",
            "checked_at": iso(ARRIVED),
            "professional_name": "Nurse A",
        },
        format="json",
    )
    assert h.errors(r) == [("reason_required", "reason")]
    running = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(running, "late-entries"),
        {"event": "reviews", "reason": "x", "reviewed_at": iso(ARRIVED), "conditions_met": True},
        format="json",
    )
    assert h.errors(r) == [("detention_not_ended", None)]
    # Nothing was written but the running detention and its arrival (created above).
    assert counts()[2:] == before[2:]
    assert not d.welfare_checks.exists() and not running.reviews.exists()
    assert Correction.objects.filter(kind="late_entry").count() == 0


LATE = "Custody record typed up after the end"
STAYS = "The assessment can begin sooner here; moving them would likely cause distress."


@at_now
def test_r2_ps6_a_transfer_exception_is_entered_late_with_its_own_reason(force, force_api, station):
    d = _ended(force, station)
    decided = ARRIVED + timedelta(hours=1)
    alerts = Alert.objects.count()
    # `reason` is why it is late; the exception's own reason has its own name.
    r = force_api.post(
        h.url(d, "late-entries"),
        {
            "event": "transfer-exception",
            "reason": LATE,
            "decided_at": iso(decided),
            "exception_reason": STAYS,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    data = r.json()
    [exception] = data["transfer_exceptions"]
    assert exception["reason"] == STAYS
    assert exception["decided_at"] == iso(decided).replace("+00:00", "Z")
    assert exception["entered_late"] is True
    late = [c for c in data["corrections"] if c["kind"] == "late_entry"]
    assert [c["reason"] for c in late] == [LATE]
    assert Alert.objects.count() == alerts  # no new alert
    history = force_api.get(h.url(d, "history")).json()
    reasons = [e["reason"] for e in history if e["record"].startswith("transfer_exception:")]
    assert reasons == [f"late entry: {LATE}"]


@at_now
def test_r2_ps6_a_late_transfer_exception_names_each_reason_in_its_errors(
    force, force_api, station
):
    from detentions.models import TransferException

    d = _ended(force, station)
    body = {"event": "transfer-exception", "reason": LATE, "decided_at": iso(ARRIVED)}
    url = h.url(d, "late-entries")
    # The exception's own reason missing (PS6) is named as it is sent ...
    r = force_api.post(url, body, format="json")
    assert h.errors(r) == [("required", "exception_reason")]
    # ... the late entry's missing reason (R2) keeps its name ...
    r = force_api.post(url, {**body, "reason": "", "exception_reason": STAYS}, format="json")
    assert h.errors(r) == [("reason_required", "reason")]
    # ... and the decision's time outside the detention is on `decided_at`.
    after_end = iso(ARRIVED + timedelta(hours=4))
    r = force_api.post(
        url, {**body, "decided_at": after_end, "exception_reason": STAYS}, format="json"
    )
    assert h.errors(r) == [("time_order", "decided_at")]
    assert not TransferException.objects.filter(detention=d).exists()
    assert not Correction.objects.filter(detention=d, kind="late_entry").exists()
