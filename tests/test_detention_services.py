"""The service layer: one door, one transaction, deadlines recomputed with every change."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from core.actor import acting_as, user_actor
from detentions import services as svc
from detentions.errors import RuleViolation
from detentions.models import Correction, Detention, DetentionArrival
from people.models import Person
from places_of_safety.models import PlaceOfSafety
from tests import factories

T0 = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # the night the clocks go forward


@pytest.fixture
def suite(health_trust):
    return PlaceOfSafety.objects.create(
        name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=2
    )


@pytest.fixture
def station(force):
    return PlaceOfSafety.objects.create(
        name="Castleford custody", kind="police_station", organisation=force
    )


@pytest.fixture
def person(force):
    return Person.objects.create(
        organisation=force,
        given_name="Alex",
        family_name="Doe",
        date_of_birth=date(1990, 5, 1),
    )


def start(force, person, **kw):
    kw.setdefault("detained_at", T0)
    kw.setdefault("consulted_at", T0 - timedelta(minutes=10))
    kw.setdefault("now", T0 + timedelta(minutes=1))
    return factories.detention(force, person, nurse="Nurse Ray", **kw)


def arrive_at_station(d, station):
    """Arrives at `station` half an hour after T0, an inspector's lawful decision (PS2)."""
    svc.record_arrival(
        d,
        place_of_safety=station,
        arrived_at=T0 + timedelta(minutes=30),
        police_station_decision={
            "imminent_risk": True,
            "no_other_place": True,
            "hcp_available": True,
            "decision_maker_rank": "inspector",
            "decision_maker_name": "Insp Hughes",
        },
        now=T0 + timedelta(minutes=31),
    )


@pytest.mark.django_db
def test_a_new_detention_is_one_history_row_with_its_derived_columns(force, person, officer):
    with acting_as(user_actor(officer)):
        d = start(force, person)
    rows = list(d.history.all())
    assert len(rows) == 1
    assert (rows[0].changed_by, rows[0].rule_set, rows[0].status) == (
        "officer",
        "pca2017",
        "in_transit",
    )
    assert d.reference.startswith("S136-2026-")


@pytest.mark.django_db
def test_arrival_recomputes_expiry_in_the_same_transaction_across_the_clock_change(
    force, person, suite
):
    d = start(force, person)
    svc.record_arrival(
        d,
        place_of_safety=suite,
        arrived_at=T0 + timedelta(minutes=30),
        now=T0 + timedelta(minutes=31),
    )
    d.refresh_from_db()
    assert d.clock_started_at == T0 + timedelta(minutes=30)
    assert d.expires_at - d.clock_started_at == timedelta(
        hours=24
    )  # 24 elapsed hours despite BST starting
    latest = d.history.latest("history_date")
    assert latest.expires_at == d.expires_at and latest.current_place_of_safety_id == suite.pk


@pytest.mark.django_db
def test_a_refused_input_writes_nothing_not_even_history(force, person, station):
    child = Person.objects.create(
        organisation=force,
        given_name="Sam",
        family_name="Young",
        date_of_birth=date(2012, 1, 1),
    )
    d = start(force, child)
    before = (Detention.history.count(), d.history.count())
    with pytest.raises(RuleViolation) as refused:
        svc.record_arrival(
            d,
            place_of_safety=station,
            arrived_at=T0 + timedelta(minutes=20),
            police_station_decision={
                "imminent_risk": True,
                "no_other_place": True,
                "hcp_available": True,
                "decision_maker_rank": "inspector",
            },
            now=T0 + timedelta(minutes=21),
        )
    assert refused.value.codes == ["child_police_station"]
    assert "under-18" in refused.value.violations[0].message
    assert (Detention.history.count(), d.history.count()) == before
    d.refresh_from_db()
    assert d.status == "in_transit" and not hasattr(d, "arrival_cache")


@pytest.mark.django_db
def test_an_ended_detention_refuses_events_but_accepts_an_audited_correction(
    force, person, suite, inspector
):
    d = start(force, person)
    svc.record_arrival(
        d, place_of_safety=suite, arrived_at=T0 + timedelta(minutes=30), now=T0 + timedelta(hours=1)
    )
    svc.end_detention(
        d,
        ended_at=T0 + timedelta(hours=5),
        outcome="admitted_informal",
        now=T0 + timedelta(hours=5),
    )
    with pytest.raises(RuleViolation) as ended:
        svc.record_welfare_check(
            d,
            checked_at=T0 + timedelta(hours=4),
            professional_name="RMN",
            now=T0 + timedelta(hours=6),
        )
    assert ended.value.conflict and ended.value.codes == ["detention_ended"]

    with pytest.raises(RuleViolation) as no_reason:
        svc.correct(d, kind="wrong_time", reason=" ", changes={"ended_at": T0 + timedelta(hours=4)})
    assert no_reason.value.codes == ["reason_required"]

    with acting_as(user_actor(inspector)):
        correction = svc.correct(
            d,
            kind="wrong_time",
            reason="Ended at 02:00 per custody record",
            changes={"ended_at": T0 + timedelta(hours=4)},
            now=T0 + timedelta(hours=6),
        )
    d.refresh_from_db()
    assert d.ended_at == T0 + timedelta(hours=4)
    assert correction.changes["ended_at"][1].startswith("2026-03-29T02:00")
    latest = d.history.latest("history_date")
    assert (
        latest.history_change_reason == "correction (wrong_time): Ended at 02:00 per custody record"
    )
    assert latest.changed_by == "inspector"
    assert d.history.filter(ended_at=T0 + timedelta(hours=5)).exists()  # the original is kept


@pytest.mark.django_db
def test_a_correction_that_breaks_the_rules_is_refused(force, person, suite):
    d = start(force, person)
    svc.record_arrival(
        d, place_of_safety=suite, arrived_at=T0 + timedelta(minutes=30), now=T0 + timedelta(hours=1)
    )
    with pytest.raises(RuleViolation) as refused:
        arrival = DetentionArrival.objects.get(detention=d)
        svc.correct(
            arrival,
            kind="wrong_time",
            reason="typo",
            changes={"arrived_at": T0 - timedelta(hours=1)},
            now=T0 + timedelta(hours=2),
        )
    assert "time_order" in refused.value.codes
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_deleting_an_event_entered_in_error_moves_the_deadline_back(force, person, station):
    d = start(force, person)
    arrive_at_station(d, station)
    check = svc.record_welfare_check(
        d,
        checked_at=T0 + timedelta(minutes=50),
        professional_name="Nurse Ray",
        now=T0 + timedelta(minutes=51),
    )
    d.refresh_from_db()
    assert d.next_welfare_check_due_at == T0 + timedelta(minutes=80)
    check_id = check.pk
    svc.correct(
        check,
        kind="entered_in_error",
        reason="Wrong detention",
        delete=True,
        now=T0 + timedelta(minutes=55),
    )
    d.refresh_from_db()
    assert d.next_welfare_check_due_at == T0 + timedelta(minutes=60)
    assert d.corrections.get().changes == {"deleted": [f"welfarecheck:{check_id}", None]}


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_detentions_of_one_person_cannot_both_start(force, person):
    results = []
    barrier = threading.Barrier(2)

    def attempt():
        try:
            barrier.wait()
            start(
                force,
                person,
                now=datetime.now(UTC),
                detained_at=datetime.now(UTC) - timedelta(minutes=5),
                consultation=None,
                consultation_not_practicable_reason="Person running into traffic",
            )
            results.append("ok")
        except RuleViolation as exc:
            results.append(exc.codes[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["detention_active", "ok"]
    assert Detention.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_a_long_correction_reason_is_kept_whole_on_the_correction(force, person, suite):
    d = start(force, person)
    svc.record_arrival(
        d, place_of_safety=suite, arrived_at=T0 + timedelta(minutes=30), now=T0 + timedelta(hours=1)
    )
    reason = (
        "Custody record shows the arrival at 22:40; the time was typed from the wrong pocketbook entry. "
        * 3
    )
    correction = svc.correct(
        DetentionArrival.objects.get(detention=d),
        kind="wrong_time",
        reason=reason,
        changes={"arrived_at": T0 + timedelta(minutes=40)},
        now=T0 + timedelta(hours=2),
    )
    assert correction.reason == reason
    row = DetentionArrival.history.filter(detention_id=d.pk).latest("history_date")
    assert len(row.history_change_reason) == 100 and row.history_change_reason.endswith("…")


@pytest.mark.django_db
def test_a_transfer_arrival_at_a_closed_place_is_recorded_and_flagged(
    force, person, suite, health_trust
):
    from places_of_safety.services import set_status

    other = PlaceOfSafety.objects.create(
        name="Southmere suite", kind="health_based", organisation=health_trust
    )
    set_status(other, "closed", "Staffing", actor_user=None, now=T0)
    d = start(force, person)
    svc.record_arrival(
        d, place_of_safety=suite, arrived_at=T0 + timedelta(minutes=30), now=T0 + timedelta(hours=1)
    )
    transfer = svc.record_transfer(
        d,
        to_place_of_safety=other,
        departed_at=T0 + timedelta(hours=2),
        reason="Bed found",
        now=T0 + timedelta(hours=2),
    )
    assert transfer.place_status_at_arrival == ""
    transfer = svc.record_transfer_arrival(
        transfer, arrived_at=T0 + timedelta(hours=2, minutes=30), now=T0 + timedelta(hours=3)
    )
    assert transfer.place_status_at_arrival == "closed"
    d.refresh_from_db()
    assert d.current_place_of_safety == other and d.expires_at == T0 + timedelta(
        minutes=30, hours=24
    )


@pytest.mark.django_db
def test_c7_an_ended_detention_with_a_handover_answers_detention_ended_first(force, person, suite):
    d = start(force, person)
    svc.record_arrival(
        d, place_of_safety=suite, arrived_at=T0 + timedelta(minutes=30), now=T0 + timedelta(hours=1)
    )
    svc.record_handover(
        d, handed_over_at=T0 + timedelta(minutes=50), received_by="RMN", now=T0 + timedelta(hours=1)
    )
    svc.end_detention(
        d,
        ended_at=T0 + timedelta(hours=3),
        outcome="admitted_informal",
        now=T0 + timedelta(hours=3),
    )
    with pytest.raises(RuleViolation) as refused:
        svc.record_handover(
            d,
            handed_over_at=T0 + timedelta(hours=1),
            received_by="RMN",
            now=T0 + timedelta(hours=4),
        )
    assert refused.value.codes == ["detention_ended"] and refused.value.conflict


@pytest.mark.django_db
def test_ps6_transfer_required_since_is_a_derived_column_kept_with_the_others(
    force, person, station
):
    d = start(force, person)
    arrive_at_station(d, station)
    reviewed = T0 + timedelta(minutes=80)
    svc.record_review(
        d, reviewed_at=reviewed, conditions_met=False, reviewer_name="PS Ali", now=reviewed
    )
    d.refresh_from_db()
    assert (d.transfer_required, d.transfer_required_since) == (True, reviewed)
    assert d.history.first().transfer_required_since == reviewed
    svc.record_transfer_exception(
        d,
        recorded_for=reviewed + timedelta(minutes=5),
        reason="Assessment starting here; moving would cause distress",
        now=reviewed + timedelta(minutes=6),
    )
    d.refresh_from_db()
    assert (d.transfer_required, d.transfer_required_since) == (False, None)


@pytest.mark.django_db
def test_ps6_the_backfill_of_transfer_required_since_gives_the_engine_value(force, person, station):
    """Migration 0007 fills the new column for running detentions from the reviews (as the
    sweep derived it before): the value the recompute step would give."""
    import importlib

    backfill = importlib.import_module("detentions.migrations.0002_transfer_required_since")
    d = start(force, person)
    arrive_at_station(d, station)
    for minutes, met in ((60, False), (90, True), (120, False)):
        at = T0 + timedelta(minutes=minutes)
        svc.record_review(d, reviewed_at=at, conditions_met=met, reviewer_name="PS Ali", now=at)
    d.refresh_from_db()
    expected = d.transfer_required_since
    assert expected == T0 + timedelta(minutes=120)
    Detention.objects.filter(pk=d.pk).update(transfer_required_since=None)
    with connection.cursor() as cursor:
        cursor.execute(backfill.BACKFILL)
    d.refresh_from_db()
    assert d.transfer_required_since == expected
