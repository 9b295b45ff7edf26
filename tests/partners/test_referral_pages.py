"""Referral pages: inbox, outbox, send, detail with status actions; three personas each."""

import pytest

from partners.models import Referral


@pytest.fixture
def referral(send):
    return send(urgency="emergency")


def test_inbox_shows_only_referrals_to_the_partner(
    web, referral, send, partner_user, outsider_user, outsider_partner
):
    other = send(to=outsider_partner)
    page = web.as_user(partner_user).get("/referrals/inbox/")
    assert page.status_code == 200
    assert referral.reference in page.content.decode()
    assert other.reference not in page.content.decode()
    page = web.as_user(outsider_user).get("/referrals/inbox/")
    assert referral.reference not in page.content.decode()
    assert other.reference in page.content.decode()


def test_outbox_shows_what_the_force_sent(web, referral, officer, partner_user):
    page = web.as_user(officer).get("/referrals/outbox/")
    assert page.status_code == 200 and referral.reference in page.content.decode()
    assert (
        referral.reference
        not in web.as_user(partner_user).get("/referrals/outbox/").content.decode()
    )


def test_pages_need_sign_in_and_a_role(client, make_user, health_trust, referral):
    assert client.get("/referrals/inbox/").status_code == 302
    doctor = make_user("doc", health_trust, "doctor")
    client.force_login(doctor)
    assert client.get("/referrals/inbox/").status_code == 403
    assert client.get(f"/referrals/{referral.pk}/").status_code == 403


def test_detail_three_personas(web, referral, officer, partner_user, outsider_user):
    sender_page = web.as_user(officer).get(f"/referrals/{referral.pk}/").content.decode()
    assert referral.reference in sender_page and "Jamie" in sender_page
    partner_page = web.as_user(partner_user).get(f"/referrals/{referral.pk}/")
    assert partner_page.status_code == 200
    body = partner_page.content.decode()
    assert "Jamie" in body and "Rowe" in body
    assert "9434765919" not in body
    assert referral.incident.reference not in body  # the record itself is the force's
    assert "Acknowledged" in body  # the partner can act
    assert web.as_user(outsider_user).get(f"/referrals/{referral.pk}/").status_code == 404
    assert (
        web.as_user(outsider_user)
        .post(f"/referrals/{referral.pk}/status/", {"status": "acknowledged"})
        .status_code
        == 404
    )


def test_partner_moves_the_status_with_a_note(web, referral, partner_user):
    client = web.as_user(partner_user)
    r = client.post(f"/referrals/{referral.pk}/status/", {"status": "declined", "note": ""})
    assert r.status_code == 400
    assert "Add a note saying why." in r.content.decode()
    assert "govuk-error-summary" in r.content.decode()
    r = client.post(
        f"/referrals/{referral.pk}/status/", {"status": "declined", "note": "Out of area"}
    )
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "declined"
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Out of area" in page and "lee" in page


def test_sender_can_only_close(web, referral, officer):
    client = web.as_user(officer)
    r = client.post(f"/referrals/{referral.pk}/status/", {"status": "accepted"})
    assert r.status_code == 400  # not one of the choices offered to the sender
    referral.refresh_from_db()
    assert referral.status == "sent"
    r = client.post(f"/referrals/{referral.pk}/status/", {"status": "closed", "note": "Admitted"})
    assert r.status_code == 302


def test_send_from_an_incident(web, officer, incident, person, partner_org):
    client = web.as_user(officer)
    page = client.get(f"/referrals/new/?incident={incident.pk}")
    assert page.status_code == 200 and "Jamie Rowe" in page.content.decode()
    r = client.post(
        f"/referrals/new/?incident={incident.pk}",
        {
            "to_organisation": partner_org.pk,
            "service": "liaison_diversion",
            "person": person.pk,
            "urgency": "urgent",
            "reason": "Needs support",
            "consent": "not_sought_lawful_basis",
            "lawful_basis": "",
        },
    )
    assert r.status_code == 400
    assert "give the lawful basis" in r.content.decode()
    r = client.post(
        f"/referrals/new/?incident={incident.pk}",
        {
            "to_organisation": partner_org.pk,
            "service": "liaison_diversion",
            "person": person.pk,
            "urgency": "urgent",
            "reason": "Needs support",
            "consent": "not_sought_lawful_basis",
            "lawful_basis": "Vital interests",
        },
    )
    assert r.status_code == 302
    referral = Referral.objects.get()
    assert r.url == f"/referrals/{referral.pk}/"
    assert referral.created_by.username == "officer"
    assert referral.history.first().changed_by == "officer"


def test_send_from_a_detention(web, officer, detention, partner_org):
    client = web.as_user(officer)
    page = client.get(f"/referrals/new/?detention={detention.pk}")
    assert page.status_code == 200
    r = client.post(
        f"/referrals/new/?detention={detention.pk}",
        {
            "to_organisation": partner_org.pk,
            "service": "crisis_team",
            "person": detention.person_id,
            "urgency": "emergency",
            "reason": "Discharged, still at risk",
            "consent": "given",
        },
    )
    assert r.status_code == 302
    assert Referral.objects.get().detention_id == detention.pk


def test_send_page_three_personas(web, incident, detention, outsider_officer, partner_user):
    for path in (
        f"/referrals/new/?incident={incident.pk}",
        f"/referrals/new/?detention={detention.pk}",
    ):
        assert web.as_user(outsider_officer).get(path).status_code == 404
        assert web.as_user(partner_user).get(path).status_code == 403


def test_inbox_query_count_is_fixed(web, send, partner_user, django_assert_num_queries):
    client = web.as_user(partner_user)
    send()
    client.get("/referrals/inbox/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/referrals/inbox/")
    for _ in range(5):
        send()
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/referrals/inbox/").status_code == 200


def test_outbox_query_count_is_fixed(web, send, officer, django_assert_num_queries):
    client = web.as_user(officer)
    send()
    client.get("/referrals/outbox/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/referrals/outbox/")
    for _ in range(5):
        send()
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get("/referrals/outbox/").status_code == 200


def test_inbox_flags_overdue_referrals(web, send, partner_user):
    from datetime import timedelta

    from django.utils import timezone

    send(urgency="emergency", now=timezone.now() - timedelta(hours=2))
    page = web.as_user(partner_user).get("/referrals/inbox/").content.decode()
    assert "Overdue" in page
