"""Every event endpoint and the rules it enforces (s136-rules.md), through the API: status
codes, error codes and attributes, and that a refused input changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from detentions.models import (
    Assessment,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
)

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)
ARRIVED = T0 + timedelta(minutes=30)  # 2026-03-28T21:00Z


def unchanged(*models):
    """Snapshot of the row and history-row counts, to prove a refusal wrote nothing."""
    return [(m.objects.count(), m.history.count()) for m in (Detention, *models)]


def extension_body(**over):
    body = {
        "authorised_at": iso(NOW - timedelta(minutes=5)),
        "hours": 12,
        "doctor_name": "Dr Foster",
        "doctor_gmc_number": "7654321",
        "ground": "intoxication",
        "ground_detail": "Too intoxicated to assess",
    }
    body.update(over)
    return body


# --- Arrival: C1, C4, PS1-PS3 ---------------------------------------------------------------------


@at_now
def test_arrival_starts_the_clock(force, force_api, suite):
    d = h.detention(force)
    r = force_api.post(
        h.url(d, "arrival"),
        {"place_of_safety": suite.pk, "arrived_at": iso(ARRIVED)},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "at_place_of_safety"
    assert body["clock_started_at"] == "2026-03-28T21:00:00Z"
    assert body["expires_at"] == "2026-03-29T21:00:00Z"  # C2: exactly 24 h across the BST change
    assert body["assessment_due_at"] == "2026-03-29T00:00:00Z"  # A2: 3 hours
    assert body["handover_due_at"] == "2026-03-28T22:00:00Z"  # A4: 1 hour at a health-based place
    assert body["next_welfare_check_due_at"] is None  # PS4/PS5: police stations only
    assert body["next_review_due_at"] is None


@at_now
def test_c5_in_transit_until_arrival(force, force_api):
    d = h.detention(force)
    body = force_api.get(h.url(d)).json()
    assert body["status"] == "in_transit"
    assert body["clock_started_at"] is None and body["expires_at"] is None


@at_now
def test_c4_arrival_before_detention_is_refused(force, force_api, suite):
    d = h.detention(force)
    before = unchanged(DetentionArrival)
    r = force_api.post(
        h.url(d, "arrival"),
        {"place_of_safety": suite.pk, "arrived_at": iso(T0 - timedelta(minutes=1))},
        format="json",
    )
    assert r.status_code == 400
    assert h.errors(r) == [("time_order", "arrived_at")]
    assert unchanged(DetentionArrival) == before


@at_now
def test_arrival_twice_is_refused(force, force_api, suite, ed):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(d, "arrival"), {"place_of_safety": ed.pk, "arrived_at": iso(ARRIVED)}, format="json"
    )
    assert r.status_code == 400
    assert h.codes(r) == {"arrival_exists"}


@at_now
def test_ps1_no_child_at_a_police_station(force, force_api, station):
    d = h.detention(force, h.person(force, date_of_birth=None, age_assessment="appears_under_18"))
    before = unchanged(DetentionArrival)
    r = force_api.post(
        h.url(d, "arrival"),
        {
            "place_of_safety": station.pk,
            "arrived_at": iso(ARRIVED),
            "police_station_decision": h.POLICE_STATION_DECISION,
        },
        format="json",
    )
    assert r.status_code == 400
    assert ("child_police_station", "place_of_safety") in h.errors(r)
    assert unchanged(DetentionArrival) == before


@pytest.mark.parametrize(
    ("arrived_at", "allowed"),
    [
        # Birthday 15 June: 18 from 00:00 Europe/London (BST), i.e. 23:00 UTC on 14 June.
        (datetime(2026, 6, 14, 22, 59, tzinfo=UTC), False),
        (datetime(2026, 6, 14, 23, 0, tzinfo=UTC), True),
    ],
)
def test_ps1_age_taken_at_the_arrival_in_london_time(
    force, force_api, station, arrived_at, allowed
):
    with time_machine.travel(datetime(2026, 6, 15, 1, 0, tzinfo=UTC), tick=False):
        d = h.detention(
            force,
            h.person(force, date_of_birth=date(2008, 6, 15)),
            detained_at=datetime(2026, 6, 14, 22, 0, tzinfo=UTC),
            now=datetime(2026, 6, 15, 1, 0, tzinfo=UTC),
        )
        r = force_api.post(
            h.url(d, "arrival"),
            {
                "place_of_safety": station.pk,
                "arrived_at": iso(arrived_at),
                "police_station_decision": h.POLICE_STATION_DECISION,
            },
            format="json",
        )
    if allowed:
        assert r.status_code == 201, r.content
    else:
        assert h.errors(r) == [("child_police_station", "place_of_safety")]


@at_now
@pytest.mark.parametrize(
    "decision",
    [
        None,
        {**h.POLICE_STATION_DECISION, "imminent_risk": False},
        {**h.POLICE_STATION_DECISION, "hcp_available": None},
    ],
)
def test_ps2_police_station_conditions(force, force_api, station, decision):
    d = h.detention(force)
    before = unchanged(DetentionArrival)
    r = force_api.post(
        h.url(d, "arrival"),
        {
            "place_of_safety": station.pk,
            "arrived_at": iso(ARRIVED),
            "police_station_decision": decision,
        },
        format="json",
    )
    assert r.status_code == 400
    assert ("police_station_conditions", "police_station_decision") in h.errors(r)
    assert unchanged(DetentionArrival) == before


@at_now
def test_ps3_below_inspector_needs_authorisation(force, force_api, station):
    d = h.detention(force)
    decision = {
        **h.POLICE_STATION_DECISION,
        "decision_maker_rank": "sergeant",
        "inspector_name": "",
        "inspector_rank": "",
    }
    r = force_api.post(
        h.url(d, "arrival"),
        {
            "place_of_safety": station.pk,
            "arrived_at": iso(ARRIVED),
            "police_station_decision": decision,
        },
        format="json",
    )
    assert r.status_code == 400
    assert h.codes(r) == {"inspector_authorisation_required"}
    decision.update(
        inspector_name="Insp Grey",
        inspector_rank="inspector",
        authorised_at=iso(ARRIVED - timedelta(minutes=5)),
    )
    r = force_api.post(
        h.url(d, "arrival"),
        {
            "place_of_safety": station.pk,
            "arrived_at": iso(ARRIVED),
            "police_station_decision": decision,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["arrival"]["police_station_decision"]["inspector_rank"] == "inspector"


# --- Police station care: PS4-PS6 ---------------------------------------------------------------


@at_now
def test_ps4_ps5_welfare_checks_and_reviews_move_their_deadlines(force, force_api, station):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    body = force_api.get(h.url(d)).json()
    assert body["next_welfare_check_due_at"] == "2026-03-28T21:30:00Z"
    assert body["next_review_due_at"] == "2026-03-28T22:00:00Z"
    r = force_api.post(
        h.url(d, "welfare-checks"),
        {
            "checked_at": iso(ARRIVED + timedelta(minutes=25)),
            "professional_name": "Nurse Joy",
            "profession": "nurse",
            "risk_requires_waking": False,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["next_welfare_check_due_at"] == "2026-03-28T21:55:00Z"
    r = force_api.post(
        h.url(d, "reviews"),
        {
            "reviewed_at": iso(ARRIVED + timedelta(minutes=50)),
            "conditions_met": True,
            "asleep": True,
            "reviewer_name": "Sgt Pepper",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    # Asleep and the latest check found no need to wake: up to 3 hours.
    assert r.json()["next_review_due_at"] == "2026-03-29T00:50:00Z"


@at_now
def test_c4_checks_and_reviews_within_the_detention(force, force_api, station):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    before = unchanged(WelfareCheck, Review)
    r = force_api.post(
        h.url(d, "welfare-checks"),
        {"checked_at": iso(ARRIVED - timedelta(minutes=1)), "professional_name": "N"},
        format="json",
    )
    assert h.errors(r) == [("time_order", "checked_at")]
    r = force_api.post(
        h.url(d, "reviews"),
        {"reviewed_at": iso(NOW + timedelta(minutes=6)), "conditions_met": True},
        format="json",
    )
    assert h.errors(r) == [("time_order", "reviewed_at")]
    assert unchanged(WelfareCheck, Review) == before


@at_now
def test_ps6_transfer_required_until_an_exception_is_recorded(force, force_api, station):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    r = force_api.post(
        h.url(d, "reviews"),
        {"reviewed_at": iso(ARRIVED + timedelta(minutes=40)), "conditions_met": False},
        format="json",
    )
    assert r.json()["transfer_required"] is True
    before = unchanged(TransferException)
    r = force_api.post(
        h.url(d, "transfer-exception"),
        {"decided_at": iso(ARRIVED + timedelta(minutes=45)), "reason": ""},
        format="json",
    )
    assert h.errors(r) == [("required", "reason")]
    r = force_api.post(
        h.url(d, "transfer-exception"),
        {"decided_at": iso(ARRIVED - timedelta(minutes=45)), "reason": "Assessment sooner here"},
        format="json",
    )
    assert h.errors(r) == [("time_order", "decided_at")]
    assert unchanged(TransferException) == before
    r = force_api.post(
        h.url(d, "transfer-exception"),
        {
            "decided_at": iso(ARRIVED + timedelta(minutes=45)),
            "reason": "AMHP and doctor arriving within 20 minutes; moving would distress",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["transfer_required"] is False
    assert r.json()["transfer_exceptions"][0]["decided_at"] == "2026-03-28T21:45:00Z"


@at_now
def test_a_correction_refused_by_the_rules_names_the_api_field(force, force_api, station):
    # The engine checks a transfer exception's time as `recorded_at`; the API calls it
    # `decided_at`, in the transfer-exception action and in a correction alike.
    d = h.detention(force, arrive_at=(station, ARRIVED))
    force_api.post(
        h.url(d, "reviews"),
        {"reviewed_at": iso(ARRIVED + timedelta(minutes=40)), "conditions_met": False},
        format="json",
    )
    r = force_api.post(
        h.url(d, "transfer-exception"),
        {"decided_at": iso(ARRIVED + timedelta(minutes=45)), "reason": "AMHP arriving soon"},
        format="json",
    )
    assert r.status_code == 201, r.content
    exception = TransferException.objects.get(detention=d)
    r = force_api.post(
        h.url(d, "corrections"),
        {
            "target": f"transfer_exception:{exception.pk}",
            "kind": "wrong_time",
            "reason": "Typed the wrong hour",
            "changes": {"decided_at": iso(ARRIVED - timedelta(minutes=45))},
        },
        format="json",
    )
    assert h.errors(r) == [("time_order", "decided_at")]


# --- Transfers: C3, C4, PS1-PS3 at the destination ------------------------------------------------


@at_now
def test_transfer_keeps_the_clock_and_its_arrival_is_patched(
    force, force_api, trust_api, ed, suite
):
    d = h.detention(force, arrive_at=(ed, ARRIVED))
    r = force_api.post(
        h.url(d, "transfers"),
        {
            "to_place_of_safety": suite.pk,
            "departed_at": iso(ARRIVED + timedelta(hours=1)),
            "reason": "Suite bed free",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["clock_started_at"] == "2026-03-28T21:00:00Z"  # C3: never restarts
    assert body["expires_at"] == "2026-03-29T21:00:00Z"
    assert body["in_transfer_to"] == suite.pk
    tid = body["transfers"][-1]["id"]
    # The receiving place's operator records the arrival.
    r = trust_api.patch(
        h.url(d, f"transfers/{tid}"),
        {"arrived_at": iso(ARRIVED + timedelta(hours=1, minutes=20))},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["current_place_of_safety"] == suite.pk
    assert r.json()["expires_at"] == "2026-03-29T21:00:00Z"
    assert (
        force_api.patch(
            h.url(d, "transfers/999999"), {"arrived_at": iso(NOW)}, format="json"
        ).status_code
        == 404
    )


@at_now
def test_transfer_rules(force, force_api, ed, station, suite):
    child = h.person(force, date_of_birth=date(2010, 1, 1))
    d = h.detention(force, child, arrive_at=(ed, ARRIVED))
    before = unchanged(Transfer)
    r = force_api.post(
        h.url(d, "transfers"),
        {
            "to_place_of_safety": station.pk,
            "departed_at": iso(ARRIVED + timedelta(hours=1)),
            "police_station_decision": h.POLICE_STATION_DECISION,
        },
        format="json",
    )
    assert ("child_police_station", "to_place_of_safety") in h.errors(r)
    r = force_api.post(
        h.url(d, "transfers"),
        {"to_place_of_safety": suite.pk, "departed_at": iso(ARRIVED - timedelta(minutes=1))},
        format="json",
    )
    assert h.errors(r) == [("time_order", "departed_at")]
    assert unchanged(Transfer) == before

    adult = h.detention(force, arrive_at=(ed, ARRIVED))
    r = force_api.post(
        h.url(adult, "transfers"),
        {"to_place_of_safety": station.pk, "departed_at": iso(ARRIVED + timedelta(hours=1))},
        format="json",
    )
    assert ("police_station_conditions", "police_station_decision") in h.errors(r)
    r = force_api.post(
        h.url(adult, "transfers"),
        {
            "to_place_of_safety": suite.pk,
            "departed_at": iso(ARRIVED + timedelta(hours=1)),
            "arrived_at": iso(ARRIVED + timedelta(minutes=50)),
        },
        format="json",
    )
    assert h.errors(r) == [("time_order", "arrived_at")]


# --- Extension: E1-E6 ---------------------------------------------------------------------------


@at_now
def test_extension_adds_hours_to_the_24(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(h.url(d, "extension"), extension_body(), format="json")
    assert r.status_code == 201, r.content
    assert r.json()["extended_until"] == "2026-03-30T09:00:00Z"
    assert r.json()["expires_at"] == "2026-03-30T09:00:00Z"
    r = force_api.post(h.url(d, "extension"), extension_body(hours=1), format="json")
    assert h.errors(r) == [("extension_exists", None)]  # E3: one per detention
    assert Extension.objects.count() == 1


@at_now
@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"doctor_gmc_number": ""}, ("extension_not_permitted", "doctor_gmc_number")),  # E1
        ({"doctor_name": ""}, ("extension_not_permitted", "doctor_name")),  # E1
        ({"hours": 13}, ("extension_too_long", "hours")),  # E3, not DRF's max_value
        ({"hours": 36}, ("extension_too_long", "hours")),
        ({"ground": "bed_unavailable"}, ("extension_ground_invalid", "ground")),  # E4
        ({"ground": "staff_unavailable"}, ("extension_ground_invalid", "ground")),
        ({"authorised_at": iso(NOW + timedelta(minutes=6))}, ("time_order", "authorised_at")),
    ],
)
def test_extension_refusals(force, force_api, suite, over, expected):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    before = unchanged(Extension)
    r = force_api.post(h.url(d, "extension"), extension_body(**over), format="json")
    assert r.status_code == 400
    assert expected in h.errors(r)
    assert unchanged(Extension) == before


def test_e2_extension_must_come_before_expiry(force, force_api, suite):
    late = ARRIVED + timedelta(hours=24, minutes=1)
    with time_machine.travel(late + timedelta(minutes=1), tick=False):
        d = h.detention(force, arrive_at=(suite, ARRIVED), now=late)
        r = force_api.post(
            h.url(d, "extension"), extension_body(authorised_at=iso(late)), format="json"
        )
    assert r.status_code == 400
    assert h.errors(r) == [("extension_too_late", "authorised_at")]
    assert Extension.objects.count() == 0


@at_now
def test_e5_at_a_police_station_a_superintendent_approves(force, force_api, station):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    r = force_api.post(h.url(d, "extension"), extension_body(), format="json")
    assert r.status_code == 400
    assert "superintendent_approval_required" in h.codes(r)
    r = force_api.post(
        h.url(d, "extension"),
        extension_body(
            superintendent_name="Supt Hastings",
            superintendent_approved_at=iso(NOW - timedelta(minutes=7)),
        ),
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["extension"]["superintendent_rank"] == "superintendent"  # the default


# --- Assessment and handover: A1-A4 ----------------------------------------------------------------


@at_now
def test_a1_assessment_created_then_updated_partially(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(d, "assessment"),
        {"amhp_requested_at": iso(ARRIVED + timedelta(minutes=10)), "amhp_name": "Ann Amhp"},
        format="json",
    )
    assert r.status_code == 201, r.content
    r = force_api.post(
        h.url(d, "assessment"),
        {"doctor_requested_at": iso(ARRIVED + timedelta(minutes=15)), "doctor_s12_approved": True},
        format="json",
    )
    assert r.status_code == 200, r.content
    a = r.json()["assessment"]
    assert a["amhp_name"] == "Ann Amhp" and a["doctor_s12_approved"] is True
    assert Assessment.objects.count() == 1
    before = unchanged(Assessment)
    r = force_api.post(
        h.url(d, "assessment"),
        {"amhp_arrived_at": iso(ARRIVED + timedelta(minutes=5))},  # before it was requested
        format="json",
    )
    assert r.status_code == 400
    assert "time_order" in h.codes(r)
    assert unchanged(Assessment) == before


@at_now
def test_a1_a3_end_without_an_assessment(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(d, "end"),
        {"ended_at": iso(ARRIVED + timedelta(hours=2)), "outcome": "no_mental_disorder"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "ended"
    assert r.json()["outcome"] == "no_mental_disorder"


@at_now
def test_a4_handover(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(d, "handover"),
        {"handed_over_at": iso(ARRIVED - timedelta(minutes=1)), "received_by": "Nurse"},
        format="json",
    )
    assert h.errors(r) == [("time_order", "handed_over_at")]
    assert Handover.objects.count() == 0
    r = force_api.post(
        h.url(d, "handover"),
        {"handed_over_at": iso(ARRIVED + timedelta(minutes=40)), "received_by": "Nurse Joy"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["handover"]["received_by"] == "Nurse Joy"
    r = force_api.post(
        h.url(d, "handover"),
        {"handed_over_at": iso(ARRIVED + timedelta(minutes=50)), "received_by": "Again"},
        format="json",
    )
    assert h.codes(r) == {"handover_exists"}


# --- End, breach: C6-C8 -------------------------------------------------------------------------


@at_now
def test_end_needs_an_outcome_and_order(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(
        h.url(d, "end"), {"ended_at": iso(ARRIVED + timedelta(hours=1))}, format="json"
    )
    assert h.errors(r) == [("required", "outcome")]
    r = force_api.post(
        h.url(d, "end"),
        {"ended_at": iso(ARRIVED + timedelta(hours=1)), "outcome": "bogus"},
        format="json",
    )
    assert h.errors(r) == [("invalid_choice", "outcome")]
    r = force_api.post(
        h.url(d, "end"),
        {"ended_at": iso(ARRIVED - timedelta(minutes=1)), "outcome": "other"},
        format="json",
    )
    assert ("time_order", "ended_at") in h.errors(r)
    assert Detention.objects.get(pk=d.pk).ended_at is None


def test_c6_c8_breach_derived_at_read_time(force, force_api, suite):
    with time_machine.travel(NOW, tick=False):
        d = h.detention(force, arrive_at=(suite, ARRIVED))
        assert force_api.get(h.url(d)).json()["breach"] is False
    later = ARRIVED + timedelta(hours=24, minutes=1)
    with time_machine.travel(later, tick=False):
        assert force_api.get(h.url(d)).json()["breach"] is True  # running past expiry
        # C8: a record entered late whose end is within the period is not a breach.
        r = force_api.post(
            h.url(d, "end"),
            {"ended_at": iso(ARRIVED + timedelta(hours=23)), "outcome": "detained_s2"},
            format="json",
        )
        assert r.status_code == 200, r.content
        assert r.json()["breach"] is False


def test_c6_ending_after_expiry_is_recorded_as_a_breach(force, force_api, suite):
    later = ARRIVED + timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        d = h.detention(force, arrive_at=(suite, ARRIVED), now=later)
        r = force_api.post(
            h.url(d, "end"),
            {"ended_at": iso(ARRIVED + timedelta(hours=24, minutes=30)), "outcome": "detained_s2"},
            format="json",
        )
    assert r.status_code == 200, r.content
    assert r.json()["breach"] is True


# --- Escapes: X1 -------------------------------------------------------------------------------


@at_now
def test_x1_escape_before_arrival_retake_within_24_hours(force, force_api):
    d = h.detention(force)
    escaped = T0 + timedelta(minutes=10)
    r = force_api.post(h.url(d, "escape"), {"escaped_at": iso(escaped)}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "absent"
    assert r.json()["retake_by"] == "2026-03-29T20:40:00Z"
    r = force_api.post(
        h.url(d, "escape"), {"escaped_at": iso(escaped + timedelta(minutes=1))}, format="json"
    )
    assert h.codes(r) == {"already_absent"}
    r = force_api.post(
        h.url(d, "return"), {"returned_at": iso(escaped + timedelta(hours=1))}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_transit"
    assert r.json()["retake_by"] is None
    r = force_api.post(h.url(d, "return"), {"returned_at": iso(NOW)}, format="json")
    assert h.codes(r) == {"not_absent"}


def test_x1_after_the_clock_started_retake_only_within_the_period(force, force_api, suite):
    with time_machine.travel(NOW, tick=False):
        d = h.detention(force, arrive_at=(suite, ARRIVED))
        r = force_api.post(
            h.url(d, "escape"), {"escaped_at": iso(NOW - timedelta(minutes=5))}, format="json"
        )
        assert r.json()["retake_by"] == "2026-03-29T21:00:00Z"
    late = ARRIVED + timedelta(hours=24, minutes=5)
    with time_machine.travel(late, tick=False):
        before = unchanged(Escape)
        r = force_api.post(h.url(d, "return"), {"returned_at": iso(late)}, format="json")
        assert r.status_code == 400
        assert h.codes(r) == {"retake_period_expired"}
        assert unchanged(Escape) == before


# --- C7: nothing may be added to an ended detention (409) -------------------------------------------

EVENT_POSTS = {
    "arrival": lambda p: {"place_of_safety": p.pk, "arrived_at": iso(ARRIVED)},
    "transfers": lambda p: {"to_place_of_safety": p.pk, "departed_at": iso(ARRIVED)},
    "welfare-checks": lambda p: {"checked_at": iso(ARRIVED), "professional_name": "N"},
    "reviews": lambda p: {"reviewed_at": iso(ARRIVED), "conditions_met": True},
    "extension": lambda p: extension_body(hours=99, ground="bed_unavailable"),
    "assessment": lambda p: {"started_at": iso(ARRIVED)},
    "handover": lambda p: {"handed_over_at": iso(ARRIVED), "received_by": "N"},
    "escape": lambda p: {"escaped_at": iso(ARRIVED)},
    "return": lambda p: {"returned_at": iso(ARRIVED)},
    "end": lambda p: {"ended_at": iso(ARRIVED), "outcome": "bogus"},
    "transfer-exception": lambda p: {"decided_at": iso(ARRIVED), "reason": ""},
}


@at_now
@pytest.mark.parametrize("endpoint", sorted(EVENT_POSTS))
def test_c7_every_event_on_an_ended_detention_is_409(force, force_api, suite, ed, endpoint):
    d = h.detention(force, arrive_at=(ed, T0 + timedelta(minutes=5)))
    with h.acting_as(h.command_actor("tests")):
        h.services.end_detention(d, ended_at=T0 + timedelta(minutes=20), outcome="other", now=NOW)
    before = unchanged(Transfer, WelfareCheck, Review, Extension, Assessment, Handover, Escape)
    r = force_api.post(h.url(d, endpoint), EVENT_POSTS[endpoint](suite), format="json")
    assert r.status_code == 409, r.content
    assert r.json()["type"] == "client_error"
    assert h.codes(r) == {"detention_ended"}  # C7 comes before every other rule
    assert (
        unchanged(Transfer, WelfareCheck, Review, Extension, Assessment, Handover, Escape) == before
    )


@at_now
def test_c7_transfer_arrival_on_an_ended_detention_is_409(force, force_api, ed, suite):
    d = h.detention(force, arrive_at=(ed, ARRIVED))
    with h.acting_as(h.command_actor("tests")):
        t = h.services.record_transfer(
            d, to_place_of_safety=suite, departed_at=ARRIVED + timedelta(minutes=30), now=NOW
        )
        h.services.end_detention(
            d, ended_at=ARRIVED + timedelta(minutes=40), outcome="other", now=NOW
        )
    r = force_api.patch(h.url(d, f"transfers/{t.pk}"), {"arrived_at": iso(NOW)}, format="json")
    assert r.status_code == 409
    assert h.codes(r) == {"detention_ended"}
