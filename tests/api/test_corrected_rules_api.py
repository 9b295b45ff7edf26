"""The four wrong answers found by the second legal audit (issue 17), through the API: PS2 binds
every police officer, E3 in hours and minutes, C3 through corrections, E5's order."""

from datetime import timedelta

import pytest
import time_machine

from detentions.models import Detention, Extension, Transfer

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)
ARRIVED = T0 + timedelta(minutes=30)

SERGEANT = {
    **h.POLICE_STATION_DECISION,
    "decision_maker_name": "Sgt Bell",
    "decision_maker_rank": "sergeant",
    "authorised_at": iso(ARRIVED + timedelta(minutes=50)),
}


def counts(*models):
    return [(m.objects.count(), m.history.count()) for m in (Detention, *models)]


@at_now
def test_ps2_a_sergeants_transfer_to_a_station_without_consultation_is_refused(
    force, force_api, ed, station
):
    d = h.detention(force, arrive_at=(ed, ARRIVED))
    before = counts(Transfer)
    body = {
        "to_place_of_safety": station.pk,
        "departed_at": iso(ARRIVED + timedelta(hours=1)),
        "police_station_decision": SERGEANT,
    }
    r = force_api.post(h.url(d, "transfers"), body, format="json")
    assert r.status_code == 400, r.content
    assert h.errors(r) == [("police_station_conditions", "police_station_decision")]
    assert counts(Transfer) == before
    body["police_station_decision"] = {
        **SERGEANT,
        "consultation_not_practicable_reason": "Custody nurse off site, no answer",
    }
    r = force_api.post(h.url(d, "transfers"), body, format="json")
    assert r.status_code == 201, r.content


def _extension(**over):
    return {
        "authorised_at": iso(NOW - timedelta(minutes=5)),
        "hours": 12,
        "doctor_name": "Dr Foster",
        "doctor_gmc_number": "7654321",
        "ground": "intoxication",
        **over,
    }


@at_now
@pytest.mark.parametrize(
    "over",
    [{"hours": 12.5}, {"hours": "12.5"}, {"hours": 12, "minutes": 1}, {"hours": 0, "minutes": 721}],
)
def test_e3_over_12_hours_is_extension_too_long_not_invalid(force, force_api, suite, over):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    before = counts(Extension)
    r = force_api.post(h.url(d, "extension"), _extension(**over), format="json")
    assert r.status_code == 400, r.content
    assert h.errors(r) == [("extension_too_long", "hours")]
    assert counts(Extension) == before


@at_now
def test_e3_hours_and_minutes(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    r = force_api.post(h.url(d, "extension"), _extension(hours=2.5, minutes=15), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["extension"]["hours"] == 2.5 and body["extension"]["minutes"] == 15
    assert body["expires_at"] == iso(ARRIVED + timedelta(hours=26, minutes=45)).replace(
        "+00:00", "Z"
    )


@at_now
def test_e5_superintendent_approval_after_the_doctors_authorisation_is_refused(
    force, force_api, station
):
    d = h.detention(force, arrive_at=(station, ARRIVED))
    late = _extension(
        superintendent_name="Supt Hastings",
        superintendent_approved_at=iso(NOW - timedelta(minutes=2)),
    )
    r = force_api.post(h.url(d, "extension"), late, format="json")
    assert h.errors(r) == [("superintendent_approval_required", "superintendent_approved_at")]


@at_now
def test_c3_a_correction_reopening_an_ended_detention_while_another_runs_is_detention_active(
    force, force_api, suite
):
    who = h.person(force)
    first = h.detention(force, who, detained_at=T0 - timedelta(days=2), now=NOW)
    force_api.post(
        h.url(first, "end"),
        {"ended_at": iso(T0 - timedelta(days=2) + timedelta(hours=1)), "outcome": "other"},
        format="json",
    )
    running = h.detention(force, who, arrive_at=(suite, ARRIVED))
    before = counts()
    r = force_api.post(
        h.url(first, "corrections"),
        {
            "target": "detention",
            "kind": "wrong_time",
            "reason": "Was it ever ended?",
            "changes": {"ended_at": None},
        },
        format="json",
    )
    assert r.status_code == 400, r.content
    assert h.errors(r) == [("detention_active", "ended_at")]
    assert counts() == before
    first.refresh_from_db()
    running.refresh_from_db()
    assert first.ended_at is not None and running.ended_at is None


# --- RS4: the Mental Health Act 2025, commenced by a deployment setting ---------------------


@at_now
def test_rs4_unset_commencement_keeps_pca2017(force, force_api, station, settings):
    assert settings.HARBOUR.get("MHA2025_COMMENCEMENT") is None
    d = h.detention(force)
    body = force_api.get(h.url(d)).json()
    assert body["rule_set"] == "pca2017"


@at_now
@pytest.mark.parametrize(
    ("commenced", "rule_set"),
    [(T0, "mha2025"), (T0 + timedelta(microseconds=1), "pca2017")],
)
def test_rs4_either_side_of_the_configured_commencement(
    force, force_api, station, settings, commenced, rule_set
):
    settings.HARBOUR = {**settings.HARBOUR, "MHA2025_COMMENCEMENT": commenced.isoformat()}
    d = h.detention(force)
    body = force_api.get(h.url(d)).json()
    assert body["rule_set"] == rule_set
    assert "2025" in body["rule_set_title"] if rule_set == "mha2025" else True
    r = force_api.post(h.url(d, "arrival"), h.station_arrival(station, ARRIVED), format="json")
    if rule_set == "mha2025":
        assert r.status_code == 400
        assert h.first_error(r) == ("police_station_not_place_of_safety", "place_of_safety", True)
    else:
        assert r.status_code == 201, r.content


@at_now
@pytest.mark.parametrize("over", [{"hours": "1e20"}, {"hours": 1, "minutes": 10**9}])
def test_e3_an_absurd_extension_is_too_long_even_recorded_as_happened(
    force, force_api, suite, over
):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    before = counts(Extension)
    body = _extension(**over, record_as_happened=True, account="Typed it wrong")
    r = force_api.post(h.url(d, "extension"), body, format="json")
    assert r.status_code == 400, r.content
    assert h.errors(r) == [("extension_too_long", "hours")]
    assert counts(Extension) == before
