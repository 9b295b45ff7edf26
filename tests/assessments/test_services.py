"""Assessment services: time order (C4), outcomes that end the detention, A3, delays, bed search."""

import datetime as dt

import pytest

from assessments import services
from assessments.models import AssessmentDelay, AssessmentDetail, DelayReason
from detentions.errors import RuleViolation
from detentions.models import Assessment

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # 10:00 BST
NOW = T0 + dt.timedelta(hours=2)


@pytest.fixture
def detention(make_detention, suite, area):
    return make_detention(suite, detained_at=T0, arrived_at=T0 + dt.timedelta(minutes=20), now=NOW)


def test_taking_a_case_records_who_took_it_and_requests_the_amhp(detention, amhp, local_authority):
    detail = services.take_case(detention, user=amhp, now=NOW)
    assert (detail.amhp_organisation, detail.amhp_user, detail.taken_at) == (
        local_authority,
        amhp,
        NOW,
    )
    assessment = Assessment.objects.get(detention=detention)
    assert assessment.amhp_requested_at == NOW
    assert assessment.amhp_name == str(amhp)


def test_a_case_taken_by_one_local_authority_is_refused_to_another(detention, amhp, other_amhp):
    services.take_case(detention, user=amhp, now=NOW)
    with pytest.raises(RuleViolation) as exc:
        services.take_case(detention, user=other_amhp, now=NOW)
    assert exc.value.codes == ["case_taken"]
    assert AssessmentDetail.objects.get(detention=detention).amhp_user == amhp


def test_arrival_before_the_request_is_refused_with_time_order_on_that_field(detention):
    services.record_assessment_progress(
        detention, amhp_requested_at=T0 + dt.timedelta(minutes=30), now=NOW
    )
    with pytest.raises(RuleViolation) as exc:
        services.record_assessment_progress(
            detention, amhp_arrived_at=T0 + dt.timedelta(minutes=25), now=NOW
        )
    assert exc.value.codes == ["time_order"]
    assert exc.value.violations[0].attr == "amhp_arrived_at"
    assert Assessment.objects.get(detention=detention).amhp_arrived_at is None


def test_completion_before_the_start_is_refused(detention):
    with pytest.raises(RuleViolation) as exc:
        services.record_assessment_progress(
            detention,
            started_at=T0 + dt.timedelta(minutes=60),
            completed_at=T0 + dt.timedelta(minutes=50),
            now=NOW,
        )
    assert [(v.code, v.attr) for v in exc.value.violations] == [("time_order", "completed_at")]
    assert not Assessment.objects.filter(detention=detention).exists()


def test_a_step_in_the_future_is_refused(detention):
    with pytest.raises(RuleViolation) as exc:
        services.record_amhp_arrival(detention, arrived_at=NOW + dt.timedelta(minutes=30), now=NOW)
    assert exc.value.codes[0] == "time_order"


def test_progress_records_the_doctors_here_and_the_core_times_there(detention):
    detail = services.record_assessment_progress(
        detention,
        doctor_requested_at=T0 + dt.timedelta(minutes=25),
        doctor_arrived_at=T0 + dt.timedelta(minutes=50),
        doctor_name="Dr Farouk",
        doctor_s12_approved=True,
        responsible_doctor_name="Dr Farouk",
        second_doctor_name="Dr Lee",
        second_doctor_s12_approved=False,
        now=NOW,
    )
    a = Assessment.objects.get(detention=detention)
    assert (a.doctor_name, a.doctor_s12_approved) == ("Dr Farouk", True)
    assert (detail.responsible_doctor_name, detail.second_doctor_name) == ("Dr Farouk", "Dr Lee")
    assert detail.second_doctor_s12_approved is False


@pytest.mark.parametrize(
    "outcome",
    [
        "admitted_informal",
        "detained_s2",
        "detained_s3",
        "discharged_no_follow_up",
        "discharged_with_referral",
        "transferred_physical_care",
        "arrested_for_offence",
        "other",
    ],
)
def test_each_assessment_outcome_ends_the_detention_when_nothing_is_awaited(detention, outcome):
    decided = T0 + dt.timedelta(minutes=90)
    services.record_outcome(detention, outcome=outcome, decided_at=decided, now=NOW)
    detention.refresh_from_db()
    assert (detention.ended_at, detention.outcome, detention.status) == (decided, outcome, "ended")
    assert Assessment.objects.get(detention=detention).completed_at == decided


def test_absconded_is_not_an_assessment_outcome(detention):
    with pytest.raises(RuleViolation) as exc:
        services.record_outcome(detention, outcome="absconded", now=NOW)
    assert exc.value.codes == ["invalid_choice"]
    detention.refresh_from_db()
    assert detention.ended_at is None


def test_an_admission_waiting_for_a_bed_keeps_the_detention_going_until_admitted(detention):
    decided = T0 + dt.timedelta(minutes=90)
    services.record_outcome(
        detention, outcome="detained_s2", decided_at=decided, awaiting_bed=True, now=NOW
    )
    detention.refresh_from_db()
    assert detention.ended_at is None
    delay = AssessmentDelay.objects.get(detention=detention)
    assert (delay.reason, delay.started_at, delay.ended_at) == (DelayReason.NO_BED, decided, None)

    found = T0 + dt.timedelta(minutes=110)
    services.record_bed_search(
        detention, bed_found_at=found, bed_location="Ashdown Ward", admit=True, now=NOW
    )
    detention.refresh_from_db()
    delay.refresh_from_db()
    assert (detention.ended_at, detention.outcome) == (found, "detained_s2")
    assert delay.ended_at == found


def test_waiting_for_a_bed_is_only_for_an_admission(detention):
    with pytest.raises(RuleViolation) as exc:
        services.record_outcome(
            detention, outcome="discharged_no_follow_up", awaiting_bed=True, now=NOW
        )
    assert exc.value.violations[0].attr == "awaiting_bed"


def test_a3_no_mental_disorder_releases_the_person_without_an_amhp(detention):
    found = T0 + dt.timedelta(minutes=70)
    services.record_no_mental_disorder(detention, found_at=found, doctor_name="Dr Farouk", now=NOW)
    detention.refresh_from_db()
    assert (detention.ended_at, detention.outcome) == (found, "no_mental_disorder")
    a = Assessment.objects.get(detention=detention)
    assert (a.doctor_arrived_at, a.completed_at, a.amhp_arrived_at) == (found, found, None)
    assert AssessmentDetail.objects.get(detention=detention).outcome == "no_mental_disorder"


def test_an_outcome_before_a_recorded_step_is_refused_on_the_decision_field(detention):
    services.record_amhp_arrival(detention, arrived_at=T0 + dt.timedelta(minutes=80), now=NOW)
    with pytest.raises(RuleViolation) as exc:
        services.record_outcome(
            detention,
            outcome="discharged_no_follow_up",
            decided_at=T0 + dt.timedelta(minutes=60),
            now=NOW,
        )
    assert exc.value.violations[0].attr == "decided_at"
    detention.refresh_from_db()
    assert detention.ended_at is None
    assert not AssessmentDetail.objects.filter(detention=detention, outcome__gt="").exists()


def test_nothing_can_be_added_once_the_detention_has_ended(detention):
    services.record_outcome(detention, outcome="discharged_no_follow_up", now=NOW)
    for call in (
        lambda: services.take_case(detention, user=None, now=NOW),
        lambda: services.add_delay(detention, reason="no_bed", now=NOW),
        lambda: services.record_outcome(detention, outcome="other", now=NOW),
        lambda: services.record_no_mental_disorder(detention, now=NOW),
    ):
        with pytest.raises(RuleViolation) as exc:
            call()
        assert exc.value.codes == ["detention_ended"]
        assert exc.value.conflict


def test_delays_open_and_end_in_order(detention):
    start = T0 + dt.timedelta(minutes=30)
    delay = services.add_delay(
        detention, reason="no_amhp", started_at=start, note="Night rota", now=NOW
    )
    with pytest.raises(RuleViolation) as exc:
        services.add_delay(detention, reason="no_amhp", started_at=start, now=NOW)
    assert exc.value.codes == ["delay_open"]
    with pytest.raises(RuleViolation) as exc:
        services.end_delay(delay, ended_at=start - dt.timedelta(minutes=1), now=NOW)
    assert exc.value.codes == ["time_order"]
    services.end_delay(delay, ended_at=start + dt.timedelta(minutes=45), now=NOW)
    delay.refresh_from_db()
    assert delay.ended_at == start + dt.timedelta(minutes=45)


def test_a_delay_before_the_detention_or_of_unknown_reason_is_refused(detention):
    with pytest.raises(RuleViolation) as exc:
        services.add_delay(
            detention, reason="no_bed", started_at=T0 - dt.timedelta(hours=1), now=NOW
        )
    assert exc.value.codes == ["time_order"]
    with pytest.raises(RuleViolation) as exc:
        services.add_delay(detention, reason="weather", now=NOW)
    assert "invalid_choice" in exc.value.codes
    with pytest.raises(RuleViolation) as exc:
        services.add_delay(detention, reason="other", now=NOW)
    assert exc.value.codes == ["required"]


def test_ending_the_detention_closes_its_open_delays(detention):
    services.add_delay(
        detention, reason="intoxication", started_at=T0 + dt.timedelta(minutes=30), now=NOW
    )
    services.record_outcome(
        detention,
        outcome="discharged_with_referral",
        decided_at=T0 + dt.timedelta(minutes=100),
        now=NOW,
    )
    assert AssessmentDelay.objects.get(detention=detention).ended_at == T0 + dt.timedelta(
        minutes=100
    )


def test_a_bed_found_before_it_was_requested_or_without_a_place_is_refused(detention):
    with pytest.raises(RuleViolation) as exc:
        services.record_bed_search(
            detention,
            bed_requested_at=T0 + dt.timedelta(minutes=60),
            bed_found_at=T0 + dt.timedelta(minutes=40),
            bed_location="Ward 3",
            now=NOW,
        )
    assert [(v.code, v.attr) for v in exc.value.violations] == [("time_order", "bed_found_at")]
    with pytest.raises(RuleViolation) as exc:
        services.record_bed_search(detention, bed_found_at=T0 + dt.timedelta(minutes=40), now=NOW)
    assert [(v.code, v.attr) for v in exc.value.violations] == [("required", "bed_location")]


def test_history_records_who_acted(detention, amhp):
    from core.actor import acting_as, user_actor

    with acting_as(user_actor(amhp)):
        services.take_case(detention, now=NOW)
    row = AssessmentDetail.history.latest("history_date")
    assert (row.changed_by, row.history_user_id, row.amhp_user_id) == ("amhp", amhp.pk, amhp.pk)


def test_only_a_local_authority_takes_a_case(detention, doctor):
    with pytest.raises(RuleViolation) as exc:
        services.take_case(detention, user=doctor, now=NOW)
    assert [(v.code, v.attr) for v in exc.value.violations] == [("invalid", "amhp_organisation")]


def test_a_case_taken_by_a_colleague_is_taken_over_only_on_purpose(
    detention, amhp, make_user, local_authority
):
    from accounts.roles import Role

    colleague = make_user("colleague", local_authority, Role.AMHP)
    services.take_case(detention, user=amhp, now=NOW)
    with pytest.raises(RuleViolation) as exc:
        services.take_case(detention, user=colleague, now=NOW)
    assert exc.value.codes == ["case_taken"]
    detail = services.take_case(detention, user=colleague, take_over=True, now=NOW)
    assert detail.amhp_user == colleague
    assert Assessment.objects.get(detention=detention).amhp_name == str(colleague)


def test_the_doctors_arrival_counts_as_requested_when_no_request_was_recorded(detention):
    arrived = T0 + dt.timedelta(minutes=40)
    services.record_doctor_arrival(
        detention, arrived_at=arrived, doctor_name="Dr Farouk", s12_approved=True, now=NOW
    )
    a = Assessment.objects.get(detention=detention)
    assert (a.doctor_requested_at, a.doctor_arrived_at, a.doctor_s12_approved) == (
        arrived,
        arrived,
        True,
    )


def test_finding_a_bed_ends_the_no_bed_delay_but_not_the_detention_unless_admitted(detention):
    delay = services.add_delay(
        detention, reason="no_bed", started_at=T0 + dt.timedelta(minutes=30), now=NOW
    )
    found = T0 + dt.timedelta(minutes=80)
    detail = services.record_bed_search(
        detention,
        bed_requested_at=T0 + dt.timedelta(minutes=30),
        bed_found_at=found,
        bed_location="Ward 3",
        now=NOW,
    )
    delay.refresh_from_db()
    detention.refresh_from_db()
    assert (detail.bed_found_at, detail.bed_location, delay.ended_at) == (found, "Ward 3", found)
    assert detention.ended_at is None
