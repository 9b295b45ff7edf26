"""detentions/handover.py: every rule and edge of A4 as a request and its answer, through the
real services (one transaction each, history, domain events, alerts)."""

import datetime as dt

import pytest
from django.core import mail

from alerts.models import Alert, Delivery
from alerts.render import describe, email_for
from core.actor import acting_as, user_actor
from detentions import handover as svc
from detentions import services as detentions
from detentions.errors import RuleViolation
from detentions.models import Handover, HandoverLink, HandoverRequest

from .conftest import ASKED

pytestmark = pytest.mark.django_db
LATER = ASKED + dt.timedelta(minutes=20)


def codes(exc) -> list[str]:
    return [v.code for v in exc.value.violations]


def ask(d, officer, now=ASKED, **kw):
    with acting_as(user_actor(officer)):
        return svc.request_handover(d, requested_by_name="PC Ellis", now=now, **kw)


def accept(hreq, nurse, now=LATER, **kw):
    kw.setdefault("received_by", "Kate Jones RMN")
    kw.setdefault("police_must_stay", False)
    with acting_as(user_actor(nurse)):
        return svc.accept_handover(hreq, now=now, **kw)


def test_a_request_waits_for_health_staff_tells_them_and_is_published(d, officer, nurse, published):
    hreq = ask(d, officer, note="Calm now")
    assert hreq.state == HandoverRequest.State.REQUESTED
    assert (hreq.place, hreq.requested_at, hreq.requested_by) == (
        d.current_place_of_safety,
        ASKED,
        "officer",
    )
    assert hreq.history.count() == 1 and hreq.history.first().changed_by == "officer"
    assert [e[0] for e in published] == ["detention.handover_requested"]
    assert published[0][3]["handover"] == hreq
    alert = Alert.objects.get(kind="handover_requested", detention=d)
    assert alert.organisations == [d.current_place_of_safety.organisation_id]
    assert "take over" in describe(alert)


def test_a_request_at_a_place_with_a_shared_inbox_emails_a_one_time_link(d, officer):
    hreq = ask(d, officer)
    link = HandoverLink.objects.get(request=hreq)
    assert link.sent_to == "willow-suite@trust.example"
    assert link.expires_at == ASKED + dt.timedelta(hours=2)
    delivery = Delivery.objects.get(address="willow-suite@trust.example")
    assert delivery.user_id is None and delivery.status == "pending"

    from alerts.tasks import deliver

    deliver.apply(args=[delivery.pk])
    (message,) = [m for m in mail.outbox if m.to == ["willow-suite@trust.example"]]
    url = svc.url_for(link)
    assert url in message.body
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert svc.link_from_token(token) == link
    assert url not in describe(delivery.alert)  # the inbox page never shows the link
    assert svc.link_from_token(token[:-2] + "xx") is None  # a forged signature
    assert svc.link_from_token(f"{link.pk}.{link.nonce}") is None  # unsigned


def test_no_link_without_a_shared_inbox(force, officer, ed_without_inbox):
    d = _at(force, officer, ed_without_inbox)
    hreq = ask(d, officer)
    assert not hreq.links.exists()
    assert not Delivery.objects.filter(user__isnull=True).exists()
    _subject, body = email_for(Alert.objects.get(kind="handover_requested"))
    assert "/handover/link/" not in body


def _at(force, officer, place):
    from tests import factories

    from .conftest import ARRIVED, T0

    with acting_as(user_actor(officer)):
        return factories.detention(
            force,
            factories.person(force),
            detained_at=T0,
            place=place,
            arrived_at=ARRIVED,
            now=ARRIVED,
        )


def test_only_at_a_health_based_place_or_emergency_department(force, officer, station):
    from detentions.models import Detention

    d = _at_station(force, officer, station)
    with pytest.raises(RuleViolation) as exc:
        ask(d, officer)
    assert codes(exc) == ["handover_place_not_health"]
    assert not HandoverRequest.objects.filter(detention=d).exists()
    assert Detention.objects.get(pk=d.pk).status == "at_place_of_safety"


def _at_station(force, officer, station):
    from tests import factories

    from .conftest import ARRIVED, T0

    with acting_as(user_actor(officer)):
        return factories.detention(
            force,
            factories.person(force),
            detained_at=T0,
            place=station,
            arrived_at=ARRIVED,
            now=ARRIVED,
            police_station_decision={
                "imminent_risk": True,
                "no_other_place": True,
                "hcp_available": True,
                "decision_maker_name": "Insp Hughes",
                "decision_maker_rank": "inspector",
                "inspector_name": "Insp Hughes",
                "inspector_rank": "inspector",
                "authorised_at": ARRIVED,
            },
        )


def test_one_request_waits_at_a_time(d, officer):
    ask(d, officer)
    with pytest.raises(RuleViolation) as exc:
        ask(d, officer, now=ASKED + dt.timedelta(minutes=1))
    assert codes(exc) == ["handover_already_requested"]
    assert exc.value.violations[0].is_conflict
    assert HandoverRequest.objects.filter(detention=d).count() == 1


def test_accepting_writes_the_a4_handover_releases_police_and_tells_the_officers(
    d, officer, nurse, published
):
    hreq = accept(ask(d, officer), nurse)
    assert hreq.state == HandoverRequest.State.ACCEPTED
    assert (hreq.answered_at, hreq.answered_by, hreq.answered_via) == (LATER, "nurse", "account")
    assert hreq.police_must_stay is False and hreq.police_released_at == LATER
    handover = Handover.objects.get(detention=d)
    assert (handover.handed_over_at, handover.received_by, handover.via_link) == (
        LATER,
        "Kate Jones RMN",
        False,
    )
    assert hreq.handover == handover
    assert [e[0] for e in published][-1] == "detention.handover_accepted"
    alert = Alert.objects.get(kind="handover_accepted", detention=d)
    assert alert.organisations == [d.organisation_id]
    assert set(alert.roles) == {"response_officer", "custody_sergeant"}
    assert "Police may leave" in describe(alert)
    request_alert = Alert.objects.get(kind="handover_requested", detention=d)
    assert request_alert.closed_reason == "handover_answered"
    assert svc.officer_wait(hreq, LATER + dt.timedelta(hours=3)) == {
        "to_answer": 20.0,
        "to_release": 20.0,
    }


def test_whether_police_must_stay_is_never_assumed(d, officer, nurse):
    hreq = ask(d, officer)
    with pytest.raises(RuleViolation) as exc:
        accept(hreq, nurse, police_must_stay=None)
    assert codes(exc) == ["required"]
    assert exc.value.violations[0].attr == "police_must_stay"
    with pytest.raises(RuleViolation) as exc:
        accept(hreq, nurse, police_must_stay=True, stay_reason="  ")
    assert codes(exc) == ["stay_reason_required"]
    hreq.refresh_from_db()
    assert hreq.is_open and not Handover.objects.filter(detention=d).exists()


def test_police_who_must_stay_are_released_later(d, officer, nurse):
    hreq = accept(ask(d, officer), nurse, police_must_stay=True, stay_reason="Risk of violence")
    assert hreq.police_released_at is None and hreq.stay_reason == "Risk of violence"
    alert = Alert.objects.get(kind="handover_accepted", detention=d)
    assert "Police must stay: Risk of violence" in describe(alert)
    assert svc.officer_wait(hreq, LATER + dt.timedelta(minutes=40))["to_release"] == 60.0
    with acting_as(user_actor(nurse)):
        svc.release_police(hreq, now=LATER + dt.timedelta(minutes=30))
    hreq.refresh_from_db()
    assert hreq.police_released_at == LATER + dt.timedelta(minutes=30)
    assert svc.officer_wait(hreq, LATER + dt.timedelta(hours=5)) == {
        "to_answer": 20.0,
        "to_release": 50.0,
    }
    with pytest.raises(RuleViolation) as exc:
        svc.release_police(hreq, now=LATER + dt.timedelta(minutes=31))
    assert codes(exc) == ["police_not_waiting"]


def test_a_double_accept_is_refused_and_changes_nothing(d, officer, nurse):
    hreq = ask(d, officer)
    accept(hreq, nurse)
    with pytest.raises(RuleViolation) as exc:
        accept(hreq, nurse, received_by="Someone Else", now=LATER + dt.timedelta(minutes=1))
    assert codes(exc) == ["handover_already_answered"]
    assert exc.value.violations[0].is_conflict
    assert Handover.objects.get(detention=d).received_by == "Kate Jones RMN"
    assert Alert.objects.filter(kind="handover_accepted").count() == 1


def test_a_decline_needs_a_reason_and_the_officers_may_ask_again(d, officer, nurse, published):
    hreq = ask(d, officer)
    with pytest.raises(RuleViolation) as exc, acting_as(user_actor(nurse)):
        svc.decline_handover(hreq, reason=" ", declined_by="Kate Jones RMN", now=LATER)
    assert codes(exc) == ["decline_reason_required"]
    with acting_as(user_actor(nurse)):
        hreq = svc.decline_handover(
            hreq, reason="No bed until 18:00", declined_by="Kate Jones RMN", now=LATER
        )
    assert hreq.state == HandoverRequest.State.DECLINED and hreq.decline_reason
    assert not Handover.objects.filter(detention=d).exists()
    assert [e[0] for e in published][-1] == "detention.handover_declined"
    alert = Alert.objects.get(kind="handover_declined", detention=d)
    assert "No bed until 18:00" in describe(alert)
    assert svc.officer_wait(hreq, LATER + dt.timedelta(hours=1)) == {
        "to_answer": 20.0,
        "to_release": 20.0,
    }
    again = ask(d, officer, now=LATER + dt.timedelta(minutes=5))
    assert again.is_open and again.pk != hreq.pk


def test_nothing_is_asked_or_answered_on_an_ended_detention(d, officer, nurse):
    hreq = ask(d, officer)
    with acting_as(user_actor(officer)):
        detentions.end_detention(d, ended_at=LATER, outcome="no_mental_disorder", now=LATER)
    with pytest.raises(RuleViolation) as exc:
        accept(hreq, nurse, now=LATER + dt.timedelta(minutes=1))
    assert codes(exc) == ["detention_ended"] and exc.value.violations[0].is_conflict
    with pytest.raises(RuleViolation) as exc:
        ask(d, officer, now=LATER + dt.timedelta(minutes=1))
    assert codes(exc) == ["detention_ended"]
    hreq.refresh_from_db()
    assert hreq.is_open and not Handover.objects.filter(detention=d).exists()
    # the officers' time ends with the detention
    assert svc.officer_wait(hreq, LATER + dt.timedelta(hours=2))["to_release"] == 20.0


def test_an_answer_for_a_place_the_person_has_left_is_refused(d, officer, nurse, ed_without_inbox):
    hreq = ask(d, officer)
    with acting_as(user_actor(officer)):
        detentions.record_transfer(
            d,
            to_place_of_safety=ed_without_inbox,
            departed_at=LATER,
            arrived_at=LATER + dt.timedelta(minutes=10),
            reason="Physical injury",
            now=LATER + dt.timedelta(minutes=10),
        )
    with pytest.raises(RuleViolation) as exc:
        accept(hreq, nurse, now=LATER + dt.timedelta(minutes=15))
    assert codes(exc) == ["handover_wrong_place"]
    assert not Handover.objects.filter(detention=d).exists()


def test_a_link_is_used_once(d, officer):
    hreq = ask(d, officer)
    link = hreq.links.get()
    hreq = svc.accept_handover(
        hreq, received_by="Ann Lee, staff nurse", police_must_stay=False, link=link, now=LATER
    )
    link.refresh_from_db()
    assert link.used_at == LATER and link.used_by_name == "Ann Lee, staff nurse"
    assert hreq.answered_via == "link"
    assert Handover.objects.get(detention=d).via_link is True
    assert svc.link_refusal(link, LATER) == "handover_link_used"


def test_an_expired_or_locked_link_may_not_be_used(d, officer):
    hreq = ask(d, officer)
    link = hreq.links.get()
    assert svc.link_refusal(link, ASKED + dt.timedelta(minutes=119)) is None
    assert svc.link_refusal(link, ASKED + dt.timedelta(hours=2)) == "handover_link_expired"
    with pytest.raises(RuleViolation) as exc:
        svc.accept_handover(
            hreq,
            received_by="Ann Lee",
            police_must_stay=False,
            link=link,
            now=ASKED + dt.timedelta(hours=3),
        )
    assert codes(exc) == ["handover_link_expired"]
    hreq.refresh_from_db()
    assert hreq.is_open and not Handover.objects.filter(detention=d).exists()
    for _ in range(5):
        svc.count_refused_use(link)
    link.refresh_from_db()
    assert svc.link_refusal(link, ASKED) == "handover_link_locked"


def test_a_link_answers_only_its_own_request(d, officer, nurse):
    first = ask(d, officer)
    old_link = first.links.get()
    with acting_as(user_actor(nurse)):
        svc.decline_handover(first, reason="No bed", declined_by="Kate", now=LATER)
    second = ask(d, officer, now=LATER + dt.timedelta(minutes=1))
    with pytest.raises(RuleViolation) as exc:
        svc.accept_handover(
            second,
            received_by="Ann",
            police_must_stay=False,
            link=old_link,
            now=LATER + dt.timedelta(minutes=2),
        )
    assert codes(exc) == ["handover_already_answered"]
    second.refresh_from_db()
    assert second.is_open


def test_the_old_direct_record_still_works_and_blocks_a_request(d, officer, nurse):
    with acting_as(user_actor(nurse)):
        detentions.record_handover(d, handed_over_at=LATER, received_by="Kate", now=LATER)
    with pytest.raises(RuleViolation) as exc:
        ask(d, officer, now=LATER + dt.timedelta(minutes=1))
    assert codes(exc) == ["handover_exists"]


def test_a_listener_that_fails_leaves_nothing_written(d, officer):
    from core import events

    def broken(event, record, *, now=None, data=None):
        raise RuntimeError("listener down")

    events.listen(broken)
    try:
        with pytest.raises(RuntimeError):
            ask(d, officer)
    finally:
        events._listeners.remove(broken)
    assert not HandoverRequest.objects.filter(detention=d).exists()
    assert not HandoverLink.objects.exists()
    assert not Alert.objects.filter(kind="handover_requested").exists()
