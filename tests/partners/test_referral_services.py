"""partners.services: due-by by urgency, consent and lawful basis, the status lifecycle."""

from datetime import timedelta

import pytest

from partners import services
from partners.models import Referral, ReferralStatusChange

from .conftest import T0

SENT_AT = T0 + timedelta(hours=1)


@pytest.mark.parametrize(
    ("urgency", "within"),
    [
        ("emergency", timedelta(hours=1)),
        ("urgent", timedelta(hours=4)),
        ("routine", timedelta(days=5)),
    ],
)
def test_due_by_follows_urgency(send, urgency, within):
    referral = send(urgency=urgency, now=SENT_AT)
    assert referral.due_by == SENT_AT + within
    assert referral.status == "sent"
    assert referral.reference == f"REF-2026-{referral.pk:06d}"


def test_due_by_is_configurable(send, settings):
    settings.HARBOUR = {
        **settings.HARBOUR,
        "REFERRAL_DUE": {**settings.HARBOUR["REFERRAL_DUE"], "urgent": timedelta(hours=24)},
    }
    assert send(urgency="urgent", now=SENT_AT).due_by == SENT_AT + timedelta(hours=24)


@pytest.mark.parametrize("consent", ["refused", "not_sought_lawful_basis"])
def test_sharing_without_consent_needs_a_lawful_basis(send, consent):
    with pytest.raises(services.ReferralRefused) as refused:
        send(consent=consent)
    assert refused.value.codes == ["lawful_basis_required"]
    assert not Referral.objects.exists()
    ok = send(consent=consent, lawful_basis="Vital interests: risk to life")
    assert ok.lawful_basis == "Vital interests: risk to life"


def test_needs_an_incident_or_a_detention(send):
    with pytest.raises(services.ReferralRefused) as refused:
        send(incident=None)
    assert "incident_or_detention_required" in refused.value.codes


def test_person_must_belong_to_the_record(send, force):
    from people import services as people

    stranger = people.create_person(organisation=force, given_name="Kim", family_name="Other")
    with pytest.raises(services.ReferralRefused) as refused:
        send(person=stranger)
    assert refused.value.codes == ["person_not_in_record"]


def test_cannot_refer_to_a_force_or_to_yourself(send, force, other_force):
    for to in (force, other_force):
        with pytest.raises(services.ReferralRefused) as refused:
            send(to=to)
        assert refused.value.codes == ["invalid_recipient"]


def test_cannot_refer_from_another_forces_incident(send, other_force, incident):
    with pytest.raises(services.ReferralRefused) as refused:
        send(from_organisation=other_force)
    assert "does_not_exist" in refused.value.codes


def test_from_a_detention_takes_its_person_and_incident(send, detention):
    referral = send(incident=None, detention=detention, person=None)
    assert referral.person_id == detention.person_id
    assert referral.incident_id == detention.incident_id


def test_full_lifecycle_records_who_and_notes(send, partner_org):
    referral = send()
    services.change_status(
        referral,
        to_status="acknowledged",
        organisation=partner_org,
        now=SENT_AT + timedelta(minutes=5),
    )
    referral.refresh_from_db()
    assert referral.acknowledged_at == SENT_AT + timedelta(minutes=5)
    services.change_status(referral, to_status="accepted", organisation=partner_org, note="Seen")
    services.change_status(referral, to_status="closed", organisation=partner_org, note="Done")
    referral.refresh_from_db()
    assert referral.status == "closed"
    changes = list(ReferralStatusChange.objects.filter(referral=referral).order_by("at", "id"))
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("", "sent"),
        ("sent", "acknowledged"),
        ("acknowledged", "accepted"),
        ("accepted", "closed"),
    ]
    assert changes[2].note == "Seen"
    # history rows exist for every write
    assert referral.history.count() >= 4


def test_accept_straight_from_sent_stamps_acknowledged(send, partner_org):
    referral = send()
    at = SENT_AT + timedelta(minutes=9)
    services.change_status(referral, to_status="accepted", organisation=partner_org, now=at)
    referral.refresh_from_db()
    assert (referral.status, referral.acknowledged_at) == ("accepted", at)


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ([], "closed"),
        (["acknowledged"], "acknowledged"),
        (["declined"], "accepted"),
        (["accepted", "closed"], "declined"),
    ],
)
def test_invalid_transitions_are_refused(send, partner_org, path, bad):
    referral = send()
    for status in path:
        services.change_status(referral, to_status=status, organisation=partner_org, note="n")
    with pytest.raises(services.ReferralRefused) as refused:
        services.change_status(referral, to_status=bad, organisation=partner_org, note="n")
    assert refused.value.codes == ["invalid_transition"]
    assert refused.value.conflict


def test_declining_needs_a_note(send, partner_org):
    referral = send()
    with pytest.raises(services.ReferralRefused) as refused:
        services.change_status(referral, to_status="declined", organisation=partner_org)
    assert refused.value.codes == ["note_required"]


def test_only_the_receiver_responds_and_the_sender_may_withdraw(
    send, force, partner_org, outsider_partner
):
    referral = send()
    with pytest.raises(services.ReferralNotAllowed):
        services.change_status(referral, to_status="accepted", organisation=force)
    with pytest.raises(services.ReferralNotAllowed):
        services.change_status(referral, to_status="acknowledged", organisation=outsider_partner)
    with pytest.raises(services.ReferralRefused) as refused:
        services.change_status(referral, to_status="closed", organisation=force)
    assert refused.value.codes == ["note_required"]
    services.change_status(referral, to_status="closed", organisation=force, note="Admitted")
    referral.refresh_from_db()
    assert referral.status == "closed"
    assert referral.acknowledged_at is None  # the partner never acknowledged it
