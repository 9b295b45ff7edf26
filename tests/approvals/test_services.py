"""Approvals in the approver's own account (PS3, E5): who may give them, self-approval, the
legal record, the approval typed on the approver's word, history and the alert."""

import datetime as dt

import pytest

from alerts.models import Alert, AlertKind
from core.actor import acting_as, user_actor
from detentions import approvals, services
from detentions.errors import RuleViolation
from detentions.models import Approval, Extension
from tests.pages.helpers import DECISION

pytestmark = pytest.mark.django_db

NOW = None


def _now():
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def _codes(exc):
    return {(v.attr, v.code) for v in exc.value.violations}


def _ask(d, user, kind, **kw):
    with acting_as(user_actor(user)):
        return approvals.request_approval(d, kind=kind, user=user, **kw)


def test_the_sergeant_asks_and_the_inspector_is_alerted_at_once(in_transit, sergeant, force):
    approval = _ask(in_transit, sergeant, Approval.Kind.POLICE_STATION, note="Violent, ED full")
    assert approval.state == Approval.State.REQUESTED
    assert approval.requested_by == sergeant
    alert = Alert.objects.get(detention=in_transit, kind=AlertKind.AUTHORISATION_REQUESTED)
    assert alert.due_at == approval.requested_at
    assert force.pk in alert.organisations
    assert set(alert.roles) == {"inspector", "superintendent"}
    assert alert.closed_at is None
    # Asked twice: refused, nothing more written.
    with pytest.raises(RuleViolation) as exc:
        _ask(in_transit, sergeant, Approval.Kind.POLICE_STATION)
    assert ("kind", approvals.APPROVAL_WAITING) in _codes(exc)
    assert Approval.objects.filter(detention=in_transit).count() == 1


def test_the_inspector_approves_from_their_account_and_the_arrival_records_it(
    in_transit, sergeant, inspector, station
):
    approval = _ask(in_transit, sergeant, Approval.Kind.POLICE_STATION, place=station)
    decided = _now() - dt.timedelta(minutes=2)
    with acting_as(user_actor(inspector)):
        approvals.approve(approval, user=inspector, decided_at=decided)
    approval.refresh_from_db()
    assert (approval.state, approval.approver, approval.approver_rank) == (
        "approved",
        inspector,
        "inspector",  # the account's rank
    )
    assert not approval.on_word
    assert approval.how_given == "given from the approver's own account"
    # The alert closes: it has been decided.
    alert = Alert.objects.get(detention=in_transit, kind=AlertKind.AUTHORISATION_REQUESTED)
    assert alert.closed_reason == "approval_decided"
    # The sergeant (below inspector) records the arrival with no inspector typed: PS3 is met
    # by the approval given from the inspector's account.
    decision = {**DECISION, "decision_maker_name": "PS Lane", "decision_maker_rank": "sergeant"}
    with acting_as(user_actor(sergeant)):
        services.record_arrival(
            in_transit, place_of_safety=station, arrived_at=_now(), police_station_decision=decision
        )
    in_transit.refresh_from_db()
    record = in_transit.arrival.police_station_decision
    assert (record.inspector_name, record.inspector_rank) == (str(inspector), "inspector")
    assert record.authorised_at == decided
    approval.refresh_from_db()
    assert approval.used_for == f"policestationdecision:{record.pk}"
    # History says who gave it and how.
    reasons = list(approval.history.values_list("history_change_reason", flat=True))
    assert "approved: given from the approver's own account" in reasons


def test_without_an_approval_the_sergeants_arrival_is_still_refused(in_transit, sergeant, station):
    decision = {**DECISION, "decision_maker_name": "PS Lane", "decision_maker_rank": "sergeant"}
    with acting_as(user_actor(sergeant)), pytest.raises(RuleViolation) as exc:
        services.record_arrival(
            in_transit, place_of_safety=station, arrived_at=_now(), police_station_decision=decision
        )
    assert "inspector_authorisation_required" in {c for _a, c in _codes(exc)}
    assert not Approval.objects.exists()


def test_a_wrong_role_cannot_approve(in_transit, sergeant, officer, inspector, held_at_station):
    ps = _ask(in_transit, sergeant, Approval.Kind.POLICE_STATION)
    for user in (officer,):
        with pytest.raises(RuleViolation) as exc:
            approvals.approve(ps, user=user, rank="inspector")
        assert (None, approvals.NOT_AN_APPROVER) in _codes(exc)
    ext = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    # An inspector may authorise a police station, never approve an extension (E5).
    with pytest.raises(RuleViolation) as exc:
        approvals.approve(ext, user=inspector)
    assert (None, approvals.NOT_AN_APPROVER) in _codes(exc)
    ps.refresh_from_db()
    ext.refresh_from_db()
    assert (ps.state, ext.state) == ("requested", "requested")


def test_the_rank_given_must_be_the_rules(held_at_station, sergeant, superintendent):
    ext = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    with pytest.raises(RuleViolation) as exc:
        approvals.approve(ext, user=superintendent, rank="chief_inspector")
    assert ("rank", "superintendent_approval_required") in _codes(exc)


def test_self_approval_is_refused(in_transit, superintendent, held_at_station):
    """A superintendent who asks (as custody officers may) cannot give it themself."""
    ext = _ask(held_at_station, superintendent, Approval.Kind.EXTENSION)
    with pytest.raises(RuleViolation) as exc:
        approvals.approve(ext, user=superintendent)
    assert (None, approvals.SELF_APPROVAL) in _codes(exc)
    with pytest.raises(RuleViolation) as exc:
        approvals.refuse(ext, user=superintendent, reason="No")
    assert (None, approvals.SELF_APPROVAL) in _codes(exc)
    ext.refresh_from_db()
    assert ext.state == "requested"


def test_an_extension_needs_no_approval_away_from_a_station(in_transit, sergeant):
    with pytest.raises(RuleViolation) as exc:
        _ask(in_transit, sergeant, Approval.Kind.EXTENSION)
    assert ("kind", approvals.APPROVAL_NOT_NEEDED) in _codes(exc)


def test_the_superintendents_approval_goes_into_the_extension(
    held_at_station, sergeant, superintendent, make_user, health_trust
):
    ext = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    approved_at = _now() - dt.timedelta(minutes=5)
    with acting_as(user_actor(superintendent)):
        approvals.approve(ext, user=superintendent, decided_at=approved_at)
    with acting_as(user_actor(sergeant)):
        services.record_extension(
            held_at_station,
            authorised_at=_now(),
            hours=6,
            doctor_name="Dr Grey",
            doctor_gmc_number="1234567",
            ground="intoxication",
        )
    record = Extension.objects.get(detention=held_at_station)
    assert (record.superintendent_name, record.superintendent_rank) == (
        str(superintendent),
        "superintendent",
    )
    assert record.superintendent_approved_at == approved_at
    ext.refresh_from_db()
    assert ext.used_for == f"extension:{record.pk}"


def test_a_name_typed_on_the_approvers_word_is_marked(held_at_station, sergeant):
    waiting = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    approved_at = _now() - dt.timedelta(minutes=5)
    with acting_as(user_actor(sergeant)):
        services.record_extension(
            held_at_station,
            authorised_at=_now(),
            hours=6,
            doctor_name="Dr Grey",
            doctor_gmc_number="1234567",
            ground="intoxication",
            superintendent_name="Supt Rowe",
            superintendent_approved_at=approved_at,
        )
    waiting.refresh_from_db()  # the request waiting is answered by it
    assert (waiting.state, waiting.on_word, waiting.approver) == ("approved", True, None)
    assert waiting.approver_name == "Supt Rowe"
    assert waiting.how_given == "recorded by the sergeant on the approver's word"
    assert "on the approver's word" in approvals.record_words(waiting)
    reasons = list(waiting.history.values_list("history_change_reason", flat=True))
    assert "approved: recorded by the sergeant on the approver's word" in reasons
    assert waiting.history.first().history_user == sergeant
    # Its alert closed.
    alert = Alert.objects.get(
        detention=held_at_station, kind=AlertKind.EXTENSION_APPROVAL_REQUESTED
    )
    assert alert.closed_reason == "approval_decided"


def test_record_on_word_checks_the_name_rank_and_time(held_at_station, sergeant):
    with acting_as(user_actor(sergeant)), pytest.raises(RuleViolation) as exc:
        approvals.record_on_word(
            held_at_station,
            kind=Approval.Kind.EXTENSION,
            approver_name="",
            approver_rank="inspector",
            decided_at=_now() + dt.timedelta(hours=1),
        )
    attrs = {a for a, _c in _codes(exc)}
    assert attrs == {"approver_name", "approver_rank", "decided_at"}
    assert not Approval.objects.exists()


def test_a_refusal_needs_a_reason_and_is_recorded(in_transit, sergeant, inspector):
    ps = _ask(in_transit, sergeant, Approval.Kind.POLICE_STATION)
    with pytest.raises(RuleViolation) as exc:
        approvals.refuse(ps, user=inspector, reason=" ")
    assert ("reason", "required") in _codes(exc)
    with acting_as(user_actor(inspector)):
        approvals.refuse(ps, user=inspector, reason="Take them to the suite: it has a bed")
    ps.refresh_from_db()
    assert (ps.state, ps.approver) == ("refused", inspector)
    assert "Take them to the suite" in approvals.record_words(ps)
    with pytest.raises(RuleViolation) as exc:  # decided once
        approvals.approve(ps, user=inspector)
    assert (None, approvals.APPROVAL_DECIDED) in _codes(exc)


def test_nothing_is_asked_or_given_once_the_detention_ended(held_at_station, sergeant):
    ext = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    with acting_as(user_actor(sergeant)):
        services.end_detention(held_at_station, ended_at=_now(), outcome="other")
    with pytest.raises(RuleViolation) as exc:
        _ask(held_at_station, sergeant, Approval.Kind.POLICE_STATION)
    assert "detention_ended" in {c for _a, c in _codes(exc)}
    ext.refresh_from_db()
    assert ext.state == "requested"


def test_a_superintendent_typing_their_own_name_approves_from_their_account(
    held_at_station, superintendent
):
    with acting_as(user_actor(superintendent)):
        services.record_extension(
            held_at_station,
            authorised_at=_now(),
            hours=6,
            doctor_name="Dr Grey",
            doctor_gmc_number="1234567",
            ground="intoxication",
            superintendent_name=str(superintendent),
            superintendent_approved_at=_now() - dt.timedelta(minutes=3),
        )
    approval = Approval.objects.get(detention=held_at_station)
    assert (approval.on_word, approval.approver) == (False, superintendent)
