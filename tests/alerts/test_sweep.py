"""The sweep, with time controlled by time-machine: every kind, thresholds, due_at stamping,
closing with reasons, late records, escalation, addressing and history."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from alerts.models import Alert, AlertKind, CloseReason
from alerts.render import describe
from alerts.sweep import sweep
from core.actor import acting_as, system_actor
from detentions import services as svc

from .conftest import detain

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ARRIVED = T0 + timedelta(minutes=20)
EXPIRES = ARRIVED + timedelta(hours=24)


def at(t):
    return time_machine.travel(t, tick=False)


def sweep_at(t):
    with at(t):
        return sweep(now=t)


def alerts(**filters):
    return list(Alert.objects.filter(**filters).order_by("kind", "threshold_minutes", "due_at"))


def kinds(detention):
    return sorted((a.kind, a.threshold_minutes) for a in Alert.objects.filter(detention=detention))


@pytest.fixture
def at_suite(force, suite):
    with at(T0 + timedelta(minutes=21)):
        return detain(force, at=T0, place=suite)


@pytest.fixture
def at_station(force, station):
    with at(T0 + timedelta(minutes=21)):
        return detain(force, at=T0, place=station)


# --- expiry_warning and expired -------------------------------------------------------------


def test_expiry_warnings_fall_due_at_each_threshold_stamped_with_the_instant_they_fell_due(
    at_suite,
):
    sweep_at(EXPIRES - timedelta(hours=6, seconds=1))
    assert not Alert.objects.filter(kind=AlertKind.EXPIRY_WARNING).exists()

    sweep_at(EXPIRES - timedelta(hours=6))
    [six] = alerts(kind=AlertKind.EXPIRY_WARNING)
    assert (six.threshold_minutes, six.due_at, six.raised_at) == (
        360,
        EXPIRES - timedelta(hours=6),
        EXPIRES - timedelta(hours=6),
    )

    # A sweep that comes late (an outage) raises every threshold passed meanwhile, once each,
    # each with the instant it fell due.
    late = EXPIRES - timedelta(minutes=45)
    sweep_at(late)
    sweep_at(late + timedelta(seconds=10))
    warnings = alerts(kind=AlertKind.EXPIRY_WARNING)
    assert [(a.threshold_minutes, a.due_at) for a in warnings] == [
        (60, EXPIRES - timedelta(hours=1)),
        (120, EXPIRES - timedelta(hours=2)),
        (360, EXPIRES - timedelta(hours=6)),
    ]
    assert {a.raised_at for a in warnings if a.threshold_minutes != 360} == {late}

    sweep_at(EXPIRES)
    [expired] = alerts(kind=AlertKind.EXPIRED)
    assert expired.due_at == EXPIRES and expired.threshold_minutes is None
    assert [a.threshold_minutes for a in alerts(kind=AlertKind.EXPIRY_WARNING)] == [
        30,
        60,
        120,
        360,
    ]


def test_thresholds_come_from_settings(at_suite, settings):
    settings.ALERTS = {**settings.ALERTS, "EXPIRY_WARNING_MINUTES": [90]}
    sweep_at(EXPIRES - timedelta(minutes=30))
    assert [(a.threshold_minutes, a.due_at) for a in alerts(kind=AlertKind.EXPIRY_WARNING)] == [
        (90, EXPIRES - timedelta(minutes=90))
    ]


def test_a_sweep_repeated_or_run_twice_at_once_never_doubles_an_alert(at_station):
    t = EXPIRES + timedelta(minutes=5)
    first = sweep_at(t)
    second = sweep_at(t)
    assert first.raised and not second.raised
    assert Alert.objects.count() == len(first.raised)


def test_an_extension_closes_the_old_warnings_and_warns_again_before_the_new_expiry(
    at_suite,
):
    sweep_at(EXPIRES - timedelta(hours=2))
    with at(EXPIRES - timedelta(hours=1, minutes=50)):
        svc.record_extension(
            at_suite,
            authorised_at=EXPIRES - timedelta(hours=1, minutes=55),
            hours=6,
            doctor_name="Dr Patel",
            doctor_gmc_number="7012345",
            ground="intoxication",
            ground_detail="Too intoxicated to assess",
        )
    result = sweep_at(EXPIRES - timedelta(hours=1, minutes=49))
    old = alerts(kind=AlertKind.EXPIRY_WARNING, closed_at__isnull=False)
    assert {a.closed_reason for a in old} == {CloseReason.EXPIRY_CHANGED}
    assert len(result.closed) == 2
    # The 6 h warning for the new expiry (EXPIRES + 6h) is due at EXPIRES: raised once then.
    sweep_at(EXPIRES)
    new = alerts(kind=AlertKind.EXPIRY_WARNING, closed_at__isnull=True)
    assert [(a.threshold_minutes, a.due_at) for a in new] == [(360, EXPIRES)]


def test_ending_within_the_period_closes_expiry_alerts_c8(at_suite):
    sweep_at(EXPIRES - timedelta(hours=2))
    with at(EXPIRES - timedelta(hours=1)):
        svc.end_detention(
            at_suite, ended_at=EXPIRES - timedelta(hours=1, minutes=30), outcome="admitted_informal"
        )
    sweep_at(EXPIRES - timedelta(minutes=59))
    warnings = alerts(kind=AlertKind.EXPIRY_WARNING)
    assert warnings and all(
        a.closed_reason == CloseReason.ENDED_WITHIN_PERIOD and a.closed_at for a in warnings
    )
    sweep_at(EXPIRES + timedelta(hours=1))
    assert not Alert.objects.filter(kind=AlertKind.EXPIRED).exists()


def test_a_real_breach_stays_open_after_the_detention_ends_late(at_suite):
    sweep_at(EXPIRES + timedelta(minutes=1))
    with at(EXPIRES + timedelta(minutes=30)):
        svc.end_detention(
            at_suite, ended_at=EXPIRES + timedelta(minutes=20), outcome="admitted_informal"
        )
    sweep_at(EXPIRES + timedelta(minutes=31))
    [expired] = alerts(kind=AlertKind.EXPIRED)
    assert expired.closed_at is None
    # Everything else about the ended detention is closed with the reason.
    others = alerts(closed_at__isnull=False)
    assert others and {a.closed_reason for a in others} <= {
        CloseReason.DETENTION_ENDED,
        CloseReason.ENDED_WITHIN_PERIOD,
    }


# --- records typed in late --------------------------------------------------------------------


def test_a_detention_entered_after_it_ended_raises_nothing(force, suite):
    typed = T0 + timedelta(days=3)
    with at(typed):
        d = detain(force, at=T0, place=suite, now=typed)
        svc.end_detention(d, ended_at=T0 + timedelta(hours=30), outcome="admitted_informal")
    sweep_at(typed + timedelta(seconds=1))
    assert not Alert.objects.exists()


def test_a_detention_typed_in_late_gets_only_the_most_pressing_expiry_warning(force, suite):
    typed = EXPIRES - timedelta(minutes=50)
    with at(typed):
        d = detain(force, at=T0, place=suite, now=typed)
    sweep_at(typed + timedelta(seconds=5))
    assert [(a.threshold_minutes, a.due_at) for a in alerts(kind=AlertKind.EXPIRY_WARNING)] == [
        (60, EXPIRES - timedelta(hours=1))
    ]
    assert (AlertKind.HANDOVER_TARGET_MISSED, None) in kinds(d)


# --- police station: welfare, review, transfer ---------------------------------------------


def test_welfare_check_overdue_then_a_late_check_closes_it_and_raises_nothing_stale(at_station):
    sweep_at(ARRIVED + timedelta(minutes=29, seconds=59))
    assert not Alert.objects.filter(kind=AlertKind.WELFARE_CHECK_OVERDUE).exists()
    sweep_at(ARRIVED + timedelta(minutes=30))
    [overdue] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert overdue.due_at == ARRIVED + timedelta(minutes=30)

    # Typed in late: the check was made at +35 min, recorded at +50 min.
    with at(ARRIVED + timedelta(minutes=50)):
        svc.record_welfare_check(
            at_station, checked_at=ARRIVED + timedelta(minutes=35), professional_name="RMN Cole"
        )
    result = sweep_at(ARRIVED + timedelta(minutes=50, seconds=5))
    overdue.refresh_from_db()
    assert overdue.closed_reason == CloseReason.WELFARE_CHECK_RECORDED
    assert overdue.closed_at == ARRIVED + timedelta(minutes=50, seconds=5)
    assert not Alert.objects.filter(
        kind=AlertKind.WELFARE_CHECK_OVERDUE, closed_at__isnull=True
    ).exists()
    assert overdue.pk in result.closed

    # The next check falls due 30 minutes after the late-recorded one: a new deadline, once.
    sweep_at(ARRIVED + timedelta(minutes=65))
    sweep_at(ARRIVED + timedelta(minutes=66))
    assert [a.due_at for a in alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)] == [
        ARRIVED + timedelta(minutes=30),
        ARRIVED + timedelta(minutes=65),
    ]


def test_a_check_typed_in_late_that_was_on_time_closes_the_alert(at_station):
    sweep_at(ARRIVED + timedelta(minutes=31))
    with at(ARRIVED + timedelta(minutes=40)):
        svc.record_welfare_check(
            at_station, checked_at=ARRIVED + timedelta(minutes=25), professional_name="RMN Cole"
        )
    sweep_at(ARRIVED + timedelta(minutes=41))
    [closed] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert closed.closed_reason == CloseReason.WELFARE_CHECK_RECORDED


def test_review_overdue_is_due_an_hour_after_arrival_and_closes_on_review(at_station):
    sweep_at(ARRIVED + timedelta(minutes=61))
    [review] = alerts(kind=AlertKind.REVIEW_OVERDUE)
    assert review.due_at == ARRIVED + timedelta(hours=1)
    assert review.roles == ["custody_sergeant", "inspector"]
    with at(ARRIVED + timedelta(minutes=70)):
        svc.record_review(
            at_station,
            reviewed_at=ARRIVED + timedelta(minutes=65),
            conditions_met=True,
            reviewer_name="PS Ali",
        )
    sweep_at(ARRIVED + timedelta(minutes=71))
    review.refresh_from_db()
    assert review.closed_reason == CloseReason.REVIEW_RECORDED


def test_transfer_required_from_the_review_until_an_exception_is_recorded(at_station):
    reviewed = ARRIVED + timedelta(minutes=50)
    with at(reviewed + timedelta(minutes=1)):
        svc.record_review(
            at_station, reviewed_at=reviewed, conditions_met=False, reviewer_name="PS Ali"
        )
    sweep_at(reviewed + timedelta(minutes=2))
    [transfer] = alerts(kind=AlertKind.TRANSFER_REQUIRED)
    assert transfer.due_at == reviewed
    with at(reviewed + timedelta(minutes=5)):
        svc.record_transfer_exception(
            at_station,
            recorded_for=reviewed + timedelta(minutes=4),
            reason="Assessment starting here; moving would cause distress",
        )
    sweep_at(reviewed + timedelta(minutes=6))
    transfer.refresh_from_db()
    assert transfer.closed_reason == CloseReason.TRANSFER_NO_LONGER_REQUIRED


# --- targets -----------------------------------------------------------------------------------


def test_a_later_review_still_failing_replaces_the_transfer_alert(at_station):
    first = ARRIVED + timedelta(minutes=50)
    with at(first + timedelta(minutes=1)):
        svc.record_review(at_station, reviewed_at=first, conditions_met=False, reviewer_name="PS")
    sweep_at(first + timedelta(minutes=2))
    second = first + timedelta(minutes=40)
    with at(second + timedelta(minutes=1)):
        svc.record_review(at_station, reviewed_at=second, conditions_met=False, reviewer_name="PS")
    sweep_at(second + timedelta(minutes=2))
    old, new = alerts(kind=AlertKind.TRANSFER_REQUIRED)
    assert (old.due_at, old.closed_reason) == (first, CloseReason.REVIEW_RECORDED)
    assert (new.due_at, new.closed_at) == (second, None)


def test_handover_target_missed_goes_to_the_place_staff_and_closes_on_handover(
    at_suite, health_trust
):
    sweep_at(ARRIVED + timedelta(minutes=59))
    assert not Alert.objects.filter(kind=AlertKind.HANDOVER_TARGET_MISSED).exists()
    sweep_at(ARRIVED + timedelta(hours=1))
    [handover] = alerts(kind=AlertKind.HANDOVER_TARGET_MISSED)
    assert handover.due_at == ARRIVED + timedelta(hours=1)
    assert (handover.organisations, handover.roles) == (
        [health_trust.pk],
        ["place_of_safety_staff"],
    )
    with at(ARRIVED + timedelta(minutes=80)):
        svc.record_handover(
            at_suite, handed_over_at=ARRIVED + timedelta(minutes=75), received_by="RMN Cole"
        )
    sweep_at(ARRIVED + timedelta(minutes=81))
    handover.refresh_from_db()
    assert handover.closed_reason == CloseReason.HANDED_OVER


def test_assessment_target_missed_goes_to_the_amhp_service_and_closes_when_it_starts(
    at_suite, suite, local_authority, health_trust
):
    from assessments.models import AmhpServiceArea

    AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire").places.add(suite)
    due = ARRIVED + timedelta(hours=3)
    sweep_at(due)
    [missed] = alerts(kind=AlertKind.ASSESSMENT_TARGET_MISSED)
    assert missed.due_at == due
    assert set(missed.organisations) == {local_authority.pk, health_trust.pk}
    assert set(missed.roles) == {"amhp", "place_of_safety_staff"}
    with at(due + timedelta(minutes=20)):
        svc.record_assessment(at_suite, started_at=due + timedelta(minutes=15))
    sweep_at(due + timedelta(minutes=21))
    missed.refresh_from_db()
    assert missed.closed_reason == CloseReason.ASSESSMENT_STARTED


def test_assessment_target_missed_goes_to_the_amhp_service_covering_the_place(
    at_suite, suite, local_authority, other_local_authority, health_trust
):
    from assessments.models import AmhpServiceArea

    area = AmhpServiceArea.objects.create(organisation=local_authority, name="Midshire AMHPs")
    area.places.add(suite)
    elsewhere = AmhpServiceArea.objects.create(
        organisation=other_local_authority, name="Westshire AMHPs"
    )
    sweep_at(ARRIVED + timedelta(hours=3))
    [missed] = alerts(kind=AlertKind.ASSESSMENT_TARGET_MISSED)
    assert set(missed.organisations) == {local_authority.pk, health_trust.pk}
    assert elsewhere.organisation_id not in missed.organisations


def test_assessment_started_in_time_raises_nothing(at_suite):
    with at(ARRIVED + timedelta(hours=1)):
        svc.record_assessment(at_suite, started_at=ARRIVED + timedelta(minutes=50))
    sweep_at(ARRIVED + timedelta(hours=4))
    assert not Alert.objects.filter(kind=AlertKind.ASSESSMENT_TARGET_MISSED).exists()


# --- addressing, escalation, history -----------------------------------------------------------


def test_welfare_alerts_go_to_the_custody_sergeant_and_inspector_of_the_stations_force(
    at_station, force
):
    sweep_at(ARRIVED + timedelta(minutes=31))
    [welfare] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert (welfare.organisations, welfare.roles) == ([force.pk], ["custody_sergeant", "inspector"])


def test_expiry_goes_to_the_force_mental_health_lead(at_suite, force, health_trust):
    sweep_at(EXPIRES)
    [expired] = alerts(kind=AlertKind.EXPIRED)
    assert expired.organisations == [force.pk, health_trust.pk]
    assert "mh_tactical_adviser" in expired.roles


def test_an_unacknowledged_alert_is_escalated_once_per_level_after_the_configured_time(
    at_station, force, settings
):
    settings.ALERTS = {**settings.ALERTS, "ESCALATE_AFTER": timedelta(minutes=15)}
    due = ARRIVED + timedelta(minutes=30)
    sweep_at(due)
    [welfare] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    sweep_at(due + timedelta(minutes=14, seconds=59))
    welfare.refresh_from_db()
    assert welfare.escalation_level == 0

    first = sweep_at(due + timedelta(minutes=15))
    again = sweep_at(due + timedelta(minutes=15))
    later = sweep_at(due + timedelta(minutes=45))
    welfare.refresh_from_db()
    assert welfare.pk in first.escalated
    assert welfare.pk not in again.escalated and welfare.pk not in later.escalated
    assert welfare.escalation_level == 1
    assert welfare.escalated_at == due + timedelta(minutes=15)
    assert {"superintendent", "mh_tactical_adviser", "custody_sergeant"} <= set(welfare.roles)
    assert welfare.history.filter(history_change_reason="escalated").count() == 1


def test_an_acknowledged_alert_is_not_escalated(at_station, sergeant):
    from alerts.services import acknowledge

    due = ARRIVED + timedelta(minutes=30)
    sweep_at(due)
    [welfare] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    with at(due + timedelta(minutes=2)):
        acknowledge(welfare, by="sergeant")
    sweep_at(due + timedelta(minutes=20))
    welfare.refresh_from_db()
    assert (welfare.escalation_level, welfare.acknowledged_by) == (0, "sergeant")
    assert welfare.acknowledged_at == due + timedelta(minutes=2)


def test_history_records_raising_and_closing_by_the_sweep_task(at_station):
    with acting_as(system_actor("alerts.tasks.sweep")):
        sweep_at(ARRIVED + timedelta(minutes=30))
        with at(ARRIVED + timedelta(minutes=40)):
            svc.record_welfare_check(
                at_station, checked_at=ARRIVED + timedelta(minutes=39), professional_name="RMN"
            )
        sweep_at(ARRIVED + timedelta(minutes=41))
    [welfare] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    rows = list(welfare.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in rows] == ["+", "~"]
    assert {r.changed_by for r in rows} == {"system:alerts.tasks.sweep"}
    assert rows[0].history_date == ARRIVED + timedelta(minutes=30)
    assert rows[1].closed_reason == CloseReason.WELFARE_CHECK_RECORDED


def test_sweep_stays_within_a_fixed_number_of_queries(
    force, station, django_assert_max_num_queries
):
    with at(T0 + timedelta(minutes=21)):
        for _ in range(5):
            detain(force, at=T0, place=station)
    # Fixed whatever the number of detentions: finding what fell due, raising, addressing,
    # deliveries, history, the repeats of legal deadlines (issue 21) and the breach events
    # partners subscribe to (issue 21).
    with at(ARRIVED + timedelta(hours=2)), django_assert_max_num_queries(21):
        sweep(now=ARRIVED + timedelta(hours=2))


def test_a_change_to_the_detention_closes_its_stale_alerts_on_commit(
    at_station, django_capture_on_commit_callbacks
):
    sweep_at(ARRIVED + timedelta(minutes=31))
    with (
        at(ARRIVED + timedelta(minutes=40)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        svc.record_welfare_check(
            at_station, checked_at=ARRIVED + timedelta(minutes=39), professional_name="RMN Cole"
        )
    # Closed at once, before any sweep runs.
    [welfare] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert welfare.closed_reason == CloseReason.WELFARE_CHECK_RECORDED
    assert welfare.closed_at == ARRIVED + timedelta(minutes=40)


def test_the_sweep_task_records_its_completion_for_healthz(at_station):
    from alerts.tasks import sweep as sweep_task
    from core import health

    health.redis_client().delete(health.SWEEP_KEY)
    assert health.check_sweep().startswith("down")
    sweep_task.apply()
    assert health.sweep_age() < 5 and health.check_sweep() == "ok"


# --- late facts leave a trace (issue 18): a deadline met late while no sweep ran ---------------
# Raised by the catch-up sweep, closed at once as `satisfied_late` with the instant the check was
# made, and shown with its lateness.

WELFARE_DUE = ARRIVED + timedelta(minutes=30)


def test_a_welfare_check_met_late_while_no_sweep_ran_is_raised_and_closed_with_its_lateness(
    at_station, web, api_as, sergeant, staffed
):
    sweep_at(WELFARE_DUE - timedelta(seconds=1))  # the last sweep before the outage
    # The deadline passes; no sweep runs. The check is made 12 min late and recorded 1 min on.
    with at(WELFARE_DUE + timedelta(minutes=13)):
        svc.record_welfare_check(
            at_station, checked_at=WELFARE_DUE + timedelta(minutes=12), professional_name="RMN Cole"
        )
    caught_up = WELFARE_DUE + timedelta(minutes=20)
    result = sweep_at(caught_up)

    [late] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert late.pk in result.raised
    assert late.due_at == WELFARE_DUE  # the true instant
    assert late.raised_at == caught_up
    assert (late.closed_at, late.closed_reason) == (caught_up, CloseReason.SATISFIED_LATE)
    assert late.satisfied_at == WELFARE_DUE + timedelta(minutes=12)
    assert not late.deliveries.exists()  # closed already: a trace, nobody to chase
    assert "Welfare check 12 min late" in describe(late)
    assert late.history.get().history_type == "+"

    # Later sweeps neither raise it again nor reopen it.
    sweep_at(caught_up + timedelta(seconds=10))
    assert Alert.objects.filter(kind=AlertKind.WELFARE_CHECK_OVERDUE).count() == 1

    # Shown in the inbox (closed alerts).
    with at(caught_up + timedelta(seconds=20)):
        page = web.as_user(sergeant).get("/alerts/?state=closed")
        body = api_as(sergeant).get(f"/api/v1/alerts/{late.pk}/").json()
    assert "Welfare check 12 min late" in page.content.decode()
    assert (body["closed_reason"], body["satisfied_at"]) == (
        "satisfied_late",
        "2026-06-01T09:02:00Z",
    )


def test_a_review_met_late_while_no_sweep_ran_is_raised_closed(at_station):
    due = ARRIVED + timedelta(hours=1)
    with at(due + timedelta(minutes=5)):
        svc.record_review(at_station, reviewed_at=due + timedelta(minutes=4), conditions_met=True)
    sweep_at(due + timedelta(minutes=6))
    [late] = alerts(kind=AlertKind.REVIEW_OVERDUE)
    assert (late.due_at, late.closed_reason) == (due, CloseReason.SATISFIED_LATE)
    assert "Custody review 4 min late" in describe(late)


def test_an_alert_a_sweep_raised_in_time_is_not_raised_again_late(at_station):
    sweep_at(WELFARE_DUE + timedelta(seconds=5))
    [overdue] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    with at(WELFARE_DUE + timedelta(minutes=10)):
        svc.record_welfare_check(
            at_station, checked_at=WELFARE_DUE + timedelta(minutes=9), professional_name="RMN Cole"
        )
    sweep_at(WELFARE_DUE + timedelta(minutes=11))
    [closed] = alerts(kind=AlertKind.WELFARE_CHECK_OVERDUE)
    assert closed.pk == overdue.pk
    assert closed.closed_reason == CloseReason.WELFARE_CHECK_RECORDED


def test_a_breach_the_detention_ended_after_while_no_sweep_ran_is_raised_and_stays_open(
    force, suite
):
    with at(ARRIVED + timedelta(minutes=1)):
        d = detain(force, at=ARRIVED - timedelta(minutes=20), place=suite)
    expires = d.expires_at
    with at(expires + timedelta(minutes=3)):
        svc.end_detention(d, ended_at=expires + timedelta(minutes=2), outcome="admitted_informal")
    sweep_at(expires + timedelta(minutes=4))
    [breach] = alerts(kind=AlertKind.EXPIRED)
    assert breach.due_at == expires
    assert breach.closed_at is None  # a breach stays open until acknowledged


def test_records_typed_in_after_the_fact_raise_no_late_alerts(force, station):
    """A record typed in with its deadlines already past is not a lapse the sweep missed."""
    typed = ARRIVED + timedelta(hours=5)
    with at(typed):
        d = detain(force, at=ARRIVED - timedelta(minutes=20), place=station, now=typed)
        svc.record_welfare_check(
            d, checked_at=ARRIVED + timedelta(minutes=40), professional_name="RMN Cole"
        )
    sweep_at(typed + timedelta(seconds=5))
    assert not Alert.objects.filter(satisfied_at__isnull=False).exists()
