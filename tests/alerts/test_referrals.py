"""referral_overdue: a referral past its due-by time without acknowledgement alerts its
receiving partner; the partner (and the sender) see it, an outsider does not; it closes when the
referral is acknowledged."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from alerts.models import Alert, AlertKind, CloseReason
from alerts.sweep import sweep
from partners import services as referrals

from .conftest import detain, refer

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def referral(force, suite, partner_org):
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        return refer(force, partner_org, detain(force, at=T0, place=suite))


def sweep_at(t):
    with time_machine.travel(t, tick=False):
        return sweep(now=t)


def test_an_unacknowledged_referral_past_due_alerts_the_receiving_partner(referral, partner_org):
    sweep_at(referral.due_by - timedelta(seconds=1))
    assert not Alert.objects.filter(kind=AlertKind.REFERRAL_OVERDUE).exists()
    sweep_at(referral.due_by)
    sweep_at(referral.due_by + timedelta(seconds=10))
    [overdue] = Alert.objects.filter(kind=AlertKind.REFERRAL_OVERDUE)
    assert (overdue.referral_id, overdue.detention_id, overdue.due_at) == (
        referral.pk,
        None,
        referral.due_by,
    )
    assert (overdue.organisations, overdue.roles) == ([partner_org.pk], ["partner_user"])


def test_the_partner_and_the_sender_see_it_and_an_outsider_gets_404(
    referral, api_for, partner_org, force, other_force
):
    sweep_at(referral.due_by)
    overdue = Alert.objects.get(kind=AlertKind.REFERRAL_OVERDUE)
    partner = api_for(partner_org, "alerts:read", "alerts:write")
    body = partner.get("/api/v1/alerts/", {"kind": "referral_overdue"}).json()
    assert [r["referral"] for r in body["results"]] == [referral.pk]
    # The partner sees only the referral's alert, not the detention's.
    assert {r["kind"] for r in partner.get("/api/v1/alerts/").json()["results"]} == {
        "referral_overdue"
    }
    assert api_for(force, "alerts:read").get(f"/api/v1/alerts/{overdue.pk}/").status_code == 200
    outsider = api_for(other_force, "alerts:read", "alerts:write")
    assert outsider.get(f"/api/v1/alerts/{overdue.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/alerts/{overdue.pk}/acknowledge/").status_code == 404
    ack = partner.post(f"/api/v1/alerts/{overdue.pk}/acknowledge/")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "midshire-liaison-key"


def test_acknowledging_the_referral_closes_the_alert(referral, partner_org):
    sweep_at(referral.due_by + timedelta(minutes=1))
    with time_machine.travel(referral.due_by + timedelta(minutes=5), tick=False):
        referrals.change_status(referral, to_status="acknowledged", organisation=partner_org)
    sweep_at(referral.due_by + timedelta(minutes=6))
    overdue = Alert.objects.get(kind=AlertKind.REFERRAL_OVERDUE)
    assert overdue.closed_reason == CloseReason.REFERRAL_ACKNOWLEDGED


def test_a_referral_acknowledged_in_time_raises_nothing(referral, partner_org):
    with time_machine.travel(referral.due_by - timedelta(minutes=5), tick=False):
        referrals.change_status(referral, to_status="acknowledged", organisation=partner_org)
    sweep_at(referral.due_by + timedelta(hours=1))
    assert not Alert.objects.filter(kind=AlertKind.REFERRAL_OVERDUE).exists()
