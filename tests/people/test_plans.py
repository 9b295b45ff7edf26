"""Response plans and warning markers (issue 21 part 3): approval by a second person, one policy
for every door (pages, API, history), markers falling away past their review date."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from core.actor import acting_as, user_actor
from core.policy import Principal
from people import plans, policy
from people.choices import PlanStatus
from people.models import ResponsePlan
from tests import factories
from tests.incidents.helpers import make_incident, make_person

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def mhlead(make_user, force):
    return make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")


@pytest.fixture
def partner(make_user, partner_org):
    return make_user("partner", partner_org, Role.PARTNER_USER)


@pytest.fixture
def person(force, officer):
    with acting_as(user_actor(officer)):
        return make_person(force, "Sam", "Rivers", dt.date(1990, 5, 5))


def _draft(person, author, organisation, *, addressed_to=(), review_in=30, now=None):
    with acting_as(user_actor(author)):
        plan = plans.create_plan(
            person=person,
            author_organisation=organisation,
            addressed_to=addressed_to,
            written_by=author,
            what_helps="Speak slowly; give time to answer",
            what_to_avoid="Shouting; standing over him",
            who_to_call="Crisis team, any time",
            contacts=[
                {
                    "name": "Jo Rivers",
                    "relationship": "Sister",
                    "phone": "01632 960 001",
                    "when_to_call": "Any time",
                }
            ],
            markers=[
                {
                    "kind": "communication_need",
                    "details": "Deaf: uses BSL; write things down",
                    "review_on": timezone.localdate(now) + dt.timedelta(days=review_in),
                }
            ],
            now=now,
        )
        return plans.submit_plan(plan, submitted_by=author, now=now)


def _approve(plan, approver, organisation):
    with acting_as(user_actor(approver)):
        return plans.approve_plan(plan, approved_by=approver, organisation=organisation)


def _principal(user):
    from accounts.principal import resolve

    return resolve(user)


# --- A second person approves -------------------------------------------------------------------


def test_the_author_cannot_approve_their_own_plan(person, force, mhlead, inspector):
    plan = _draft(person, mhlead, force)
    decision = policy.may_plan(_principal(mhlead), "approve", plan)
    assert decision.status == 403 and "second person" in decision.reason
    with pytest.raises(ValidationError) as exc, acting_as(user_actor(mhlead)):
        plans.approve_plan(plan, approved_by=mhlead, organisation=force)
    assert exc.value.code == "approver_is_author"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PENDING

    assert policy.may_plan(_principal(inspector), "approve", plan)
    plan = _approve(plan, inspector, force)
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == inspector


def test_the_author_cannot_approve_through_the_page_or_the_api(person, force, mhlead, web, api_as):
    plan = _draft(person, mhlead, force)
    client = web.as_user(mhlead)
    assert client.get(f"/people/plans/{plan.pk}/decide/").status_code == 403
    response = client.post(f"/people/plans/{plan.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    api = api_as(mhlead)
    assert api.post(f"/api/v1/response-plans/{plan.pk}/approve/").status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PENDING


def test_a_key_cannot_approve(person, force, mhlead, api_for):
    plan = _draft(person, mhlead, force)
    api = api_for(force, "plans:read", "plans:write")
    response = api.post(f"/api/v1/response-plans/{plan.pk}/approve/")
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PENDING


def test_an_officer_without_the_approve_permission_cannot_approve(person, force, mhlead, officer):
    plan = _draft(person, mhlead, force)
    assert policy.may_plan(_principal(officer), "approve", plan).status == 403


def test_reject_needs_a_reason_and_sends_the_plan_back(person, force, mhlead, inspector):
    plan = _draft(person, mhlead, force)
    with pytest.raises(ValidationError) as exc, acting_as(user_actor(inspector)):
        plans.reject_plan(plan, rejected_by=inspector, organisation=force, reason=" ")
    assert "reason" in exc.value.error_dict
    with acting_as(user_actor(inspector)):
        plan = plans.reject_plan(
            plan, rejected_by=inspector, organisation=force, reason="Add the crisis line number"
        )
    assert plan.status == PlanStatus.REJECTED
    with acting_as(user_actor(mhlead)):
        plan = plans.update_plan(plan, who_to_call="Crisis line 0800 000 000")
    assert plan.status == PlanStatus.DRAFT
    with acting_as(user_actor(mhlead)):
        plan = plans.submit_plan(plan, submitted_by=mhlead)
    assert plan.status == PlanStatus.PENDING


def test_an_approved_plan_is_not_changed(person, force, mhlead, inspector):
    plan = _approve(_draft(person, mhlead, force), inspector, force)
    with pytest.raises(ValidationError) as exc, acting_as(user_actor(mhlead)):
        plans.update_plan(plan, what_helps="Something else")
    assert exc.value.code == "plan_not_editable"
    with pytest.raises(ValidationError), acting_as(user_actor(mhlead)):
        plans.add_marker(
            plan, kind="weapons", details="Knife", review_on=timezone.localdate() + dt.timedelta(1)
        )


def test_an_empty_plan_cannot_be_submitted(person, force, mhlead):
    with acting_as(user_actor(mhlead)):
        plan = plans.create_plan(person=person, author_organisation=force, written_by=mhlead)
        with pytest.raises(ValidationError) as exc:
            plans.submit_plan(plan, submitted_by=mhlead)
    assert exc.value.code == "plan_empty"


def test_markers_need_a_review_date_ahead_and_within_two_years(person, force, mhlead):
    with acting_as(user_actor(mhlead)):
        plan = plans.create_plan(person=person, author_organisation=force, written_by=mhlead)
        today = timezone.localdate()
        for review_on, code in (
            (today - dt.timedelta(days=1), "review_date_in_past"),
            (today + dt.timedelta(days=800), "review_date_too_far"),
        ):
            with pytest.raises(ValidationError) as exc:
                plans.add_marker(plan, kind="weapons", details="Knife", review_on=review_on)
            assert exc.value.error_dict["review_on"][0].code == code
        with pytest.raises(ValidationError) as exc:
            plans.add_contact(plan, name="A", relationship="B", phone="call me maybe")
        assert exc.value.error_dict["phone"][0].code == "invalid_phone"
    assert not plan.markers.exists() and not plan.contacts.exists()


def test_another_force_cannot_be_addressed(person, force, other_force, mhlead):
    with pytest.raises(ValidationError) as exc, acting_as(user_actor(mhlead)):
        plans.create_plan(
            person=person, author_organisation=force, addressed_to=[other_force], written_by=mhlead
        )
    assert exc.value.error_dict["addressed_to"][0].code == "invalid_addressee"
    assert not ResponsePlan.objects.exists()


# --- Who sees what: one policy for every door -----------------------------------------------------


def test_drafts_and_pending_plans_are_seen_only_by_the_author_organisation_and_approvers(
    person, force, health_trust, mhlead, officer, inspector, nurse
):
    plan = _draft(person, mhlead, force, addressed_to=[health_trust])
    assert policy.visible_plans(_principal(officer)).filter(pk=plan.pk).exists()  # author org
    assert policy.visible_plans(_principal(inspector)).filter(pk=plan.pk).exists()
    # Addressed, but not approved yet: the trust sees nothing.
    assert not policy.visible_plans(_principal(nurse)).filter(pk=plan.pk).exists()
    # Officers are shown nothing until it is approved.
    assert not policy.in_force_plans(_principal(officer)).exists()
    _approve(plan, inspector, force)
    assert policy.visible_plans(_principal(nurse)).filter(pk=plan.pk).exists()
    assert policy.in_force_plans(_principal(officer)).filter(pk=plan.pk).exists()


def test_a_partners_draft_is_not_seen_by_the_force_until_submitted(
    person, force, partner_org, partner, officer, inspector, incident_with_referral
):
    with acting_as(user_actor(partner)):
        plan = plans.create_plan(
            person=person,
            author_organisation=partner_org,
            written_by=partner,
            what_helps="Sit down with him",
        )
    assert not policy.visible_plans(_principal(officer)).filter(pk=plan.pk).exists()
    assert not policy.visible_plans(_principal(inspector)).filter(pk=plan.pk).exists()
    with acting_as(user_actor(partner)):
        plans.submit_plan(plan, submitted_by=partner)
    # Pending: the force's approvers see it, its officers do not.
    assert policy.visible_plans(_principal(inspector)).filter(pk=plan.pk).exists()
    assert not policy.visible_plans(_principal(officer)).filter(pk=plan.pk).exists()
    _approve(plan, inspector, force)
    assert policy.in_force_plans(_principal(officer)).filter(pk=plan.pk).exists()


@pytest.fixture
def incident_with_referral(force, person, officer, partner_org):
    from partners import services as referrals

    incident = make_incident(force, people=[person], user=officer)
    with acting_as(user_actor(officer)):
        referrals.send_referral(
            from_organisation=force,
            to_organisation=partner_org,
            service="liaison_diversion",
            person=person,
            reason="Repeated crises",
            urgency="routine",
            consent="given",
            incident=incident,
            created_by=officer,
        )
    return incident


def test_a_partner_writes_plans_only_about_people_it_knows(
    person, force, partner, officer, incident_with_referral
):
    actor = _principal(partner)
    assert policy.may_write_plan_for(actor, person)
    with acting_as(user_actor(officer)):
        stranger = make_person(force, "Kim", "Other", dt.date(1980, 1, 1))
    assert policy.may_write_plan_for(actor, stranger).status == 404


def test_a_partner_not_addressed_sees_nothing_at_any_door(
    person,
    force,
    health_trust,
    partner_org,
    partner,
    nurse,
    mhlead,
    inspector,
    web,
    api_as,
    api_for,
):
    """The plan is addressed to the force and the trust: the liaison partner gets 404 from the
    page, the API (session and key), the markers list and the history (page and API)."""
    plan = _approve(_draft(person, mhlead, force, addressed_to=[health_trust]), inspector, force)
    marker = plan.markers.get()

    client = web.as_user(partner)
    assert client.get(f"/people/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/audit/history/people.responseplan/{plan.pk}/").status_code == 404
    assert client.get(f"/audit/history/people.warningmarker/{marker.pk}/").status_code == 404
    assert person.full_name not in client.get("/people/plans/").content.decode()

    session = api_as(partner)
    assert session.get(f"/api/v1/response-plans/{plan.pk}/").status_code == 404
    assert session.get("/api/v1/response-plans/").json()["count"] == 0
    assert session.get(f"/api/v1/warning-markers/?person={person.pk}").json()["count"] == 0

    key = api_for(partner_org, "plans:read", "audit:read")
    assert key.get(f"/api/v1/response-plans/{plan.pk}/").status_code == 404
    assert key.get("/api/v1/warning-markers/").json()["count"] == 0
    history = key.get(f"/api/v1/audit/history/?model=people.responseplan&id={plan.pk}")
    assert history.status_code == 404

    # The trust it is addressed to sees it at every door.
    trust = api_for(health_trust, "plans:read", "audit:read")
    assert trust.get(f"/api/v1/response-plans/{plan.pk}/").status_code == 200
    markers = trust.get(f"/api/v1/warning-markers/?person={person.pk}").json()
    assert [m["kind"] for m in markers["results"]] == ["communication_need"]
    history = trust.get(f"/api/v1/audit/history/?model=people.responseplan&id={plan.pk}")
    assert history.status_code == 200
    assert web.as_user(nurse).get(f"/people/plans/{plan.pk}/").status_code == 200


def test_the_trust_sees_the_plan_on_the_detention_at_its_place_only_when_addressed(
    person, force, health_trust, mhlead, inspector, officer, nurse, client
):
    from places_of_safety import services as places
    from tests.security.otp import sign_in

    with acting_as(user_actor(officer)):
        place = places.create_place(
            name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=2
        )
        detention = factories.detention(
            force,
            person,
            detained_at=T0,
            place=place,
            arrived_at=T0 + dt.timedelta(minutes=20),
            now=T0 + dt.timedelta(hours=1),
        )
    plan = _approve(_draft(person, mhlead, force), inspector, force)  # not addressed to the trust
    page = sign_in(client, nurse).get(f"/detentions/{detention.pk}/").content.decode()
    assert "Warnings and plan" in page and "Deaf: uses BSL" not in page
    with acting_as(user_actor(mhlead)):
        plans.withdraw_plan(plan, reason="Replaced")
    plan2 = _approve(_draft(person, mhlead, force, addressed_to=[health_trust]), inspector, force)
    page = client.get(f"/detentions/{detention.pk}/").content.decode()
    assert "Deaf: uses BSL" in page and plan2.approved_at


# --- Officers' views --------------------------------------------------------------------------


def test_the_panel_shows_approved_plans_on_the_incident_detention_and_person_pages(
    person, force, mhlead, inspector, officer, web
):
    incident = make_incident(force, people=[person], user=officer)
    detention = factories.detention(force, person, detained_at=T0, incident=incident)
    plan = _draft(person, mhlead, force)
    client = web.as_user(officer)
    for url in (
        f"/incidents/{incident.pk}/",
        f"/detentions/{detention.pk}/",
        f"/people/{person.pk}/",
    ):
        assert "Deaf: uses BSL" not in client.get(url).content.decode(), url
    _approve(plan, inspector, force)
    for url in (
        f"/incidents/{incident.pk}/",
        f"/detentions/{detention.pk}/",
        f"/people/{person.pk}/",
    ):
        page = client.get(url).content.decode()
        assert "Warnings and plan" in page and "Deaf: uses BSL" in page, url
        assert "Speak slowly" in page and 'href="tel:01632960001"' in page, url


def test_a_withdrawn_plan_is_no_longer_shown(person, force, mhlead, inspector, officer):
    plan = _approve(_draft(person, mhlead, force), inspector, force)
    assert policy.may_plan(_principal(officer), "withdraw", plan).status == 403
    with acting_as(user_actor(mhlead)):
        plans.withdraw_plan(plan, reason="No longer needed")
    assert not policy.in_force_plans(_principal(officer)).exists()
    # Still in the record of those who saw it.
    assert policy.visible_plans(_principal(officer)).filter(pk=plan.pk).exists()


def test_a_marker_past_its_review_date_falls_away_but_stays_in_history(
    person, force, mhlead, inspector, officer, web, api_for
):
    start = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        plan = _approve(_draft(person, mhlead, force, review_in=10), inspector, force)
    marker = plan.markers.get()
    assert marker.review_on == dt.date(2026, 6, 11)
    detention = factories.detention(force, person, detained_at=start)
    client = web.as_user(officer)
    key = api_for(force, "plans:read", "audit:read")
    with time_machine.travel(dt.datetime(2026, 6, 11, 22, 0, tzinfo=dt.UTC), tick=False):
        # 23:00 on the review date in London: still shown.
        assert "Deaf: uses BSL" in client.get(f"/detentions/{detention.pk}/").content.decode()
        assert key.get("/api/v1/warning-markers/").json()["count"] == 1
    with time_machine.travel(dt.datetime(2026, 6, 11, 23, 30, tzinfo=dt.UTC), tick=False):
        # 00:30 the next day in London: past its review date.
        page = client.get(f"/detentions/{detention.pk}/").content.decode()
        assert "Deaf: uses BSL" not in page
        assert "Speak slowly" in page  # the plan itself is still in force
        assert key.get("/api/v1/warning-markers/").json()["count"] == 0
        past = key.get("/api/v1/warning-markers/?include_past_review=true").json()
        assert past["count"] == 1
        detail = key.get(f"/api/v1/response-plans/{plan.pk}/").json()
        assert detail["markers"][0]["current"] is False
        plan_page = client.get(f"/people/plans/{plan.pk}/").content.decode()
        assert "past its review date" in plan_page
    assert marker.history.count() == 1
    history = key.get(f"/api/v1/audit/history/?model=people.warningmarker&id={marker.pk}")
    assert history.status_code == 200


def test_every_change_is_in_history_with_who(person, force, mhlead, inspector):
    plan = _approve(_draft(person, mhlead, force), inspector, force)
    rows = list(plan.history.order_by("history_date"))
    assert [r.status for r in rows] == ["draft", "draft", "pending_approval", "approved"]
    assert rows[-1].changed_by == inspector.username
    assert rows[-2].changed_by == mhlead.username
    assert rows[-1].history_change_reason == "Approved"


# --- The pages, end to end ----------------------------------------------------------------------


def test_write_submit_and_approve_through_the_pages(person, force, officer, inspector, web):
    client = web.as_user(officer)
    response = client.post(
        f"/people/plans/new/?person={person.pk}",
        {"person": person.pk, "what_helps": "Quiet room", "what_to_avoid": "", "who_to_call": ""},
    )
    assert response.status_code == 302
    plan = ResponsePlan.objects.get()
    assert plan.written_by == officer and plan.status == PlanStatus.DRAFT
    review = timezone.localdate() + dt.timedelta(days=90)
    response = client.post(
        f"/people/plans/{plan.pk}/markers/new/",
        {
            "kind": "risk_to_staff",
            "details": "Has bitten officers",
            "review_on-day": review.day,
            "review_on-month": review.month,
            "review_on-year": review.year,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    bad = client.post(
        f"/people/plans/{plan.pk}/contacts/new/",
        {"name": "Jo", "relationship": "Sister", "phone": "ring me"},
    )
    assert bad.status_code == 200 and "Enter a phone number" in bad.content.decode()
    assert client.post(f"/people/plans/{plan.pk}/submit/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PENDING and plan.submitted_by == officer

    approver = web.as_user(inspector)
    missing = approver.post(f"/people/plans/{plan.pk}/decide/", {"decision": "reject"})
    assert missing.status_code == 200 and "Say why the plan is rejected" in missing.content.decode()
    assert (
        approver.post(f"/people/plans/{plan.pk}/decide/", {"decision": "approve"}).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == inspector
    page = approver.get(f"/people/{person.pk}/").content.decode()
    assert "Has bitten officers" in page


def test_the_api_writes_and_approves(person, force, health_trust, officer, inspector, api_as):
    api = api_as(officer)
    created = api.post(
        "/api/v1/response-plans/",
        {"person": person.pk, "addressed_to": [health_trust.slug], "what_helps": "Quiet"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft"
    assert sorted(body["addressed_to"]) == sorted([force.slug, health_trust.slug])
    pk = body["id"]
    review = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    marker = api.post(
        f"/api/v1/response-plans/{pk}/markers/",
        {"kind": "weapons", "details": "Carries a knife", "review_on": review},
        format="json",
    )
    assert marker.status_code == 201
    past = api.post(
        f"/api/v1/response-plans/{pk}/markers/",
        {"kind": "weapons", "details": "x", "review_on": "2020-01-01"},
        format="json",
    )
    assert past.status_code == 400
    assert past.json()["errors"][0]["code"] == "review_date_in_past"
    assert api.post(f"/api/v1/response-plans/{pk}/submit/").json()["status"] == "pending_approval"
    assert api.post(f"/api/v1/response-plans/{pk}/approve/").status_code == 403  # own
    approved = api_as(inspector).post(f"/api/v1/response-plans/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = api.get(f"/api/v1/response-plans/?person={person.pk}").json()
    assert [p["id"] for p in listed["results"]] == [pk]
    assert listed["results"][0]["markers"][0]["current"] is True


def test_the_plans_list_query_count_does_not_grow(person, force, mhlead, inspector, api_for):
    for _ in range(3):
        _approve(_draft(person, mhlead, force), inspector, force)
    key = api_for(force, "plans:read")
    key.get("/api/v1/response-plans/")  # the key's first use is recorded once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert key.get("/api/v1/response-plans/").json()["count"] == 3
    for _ in range(5):
        _approve(_draft(person, mhlead, force), inspector, force)
    with CaptureQueriesContext(connection) as many:
        assert key.get("/api/v1/response-plans/").json()["count"] == 8
    assert len(many) == len(few)


def test_merging_people_moves_their_plans(person, force, mhlead, inspector, officer):
    from people import services

    with acting_as(user_actor(officer)):
        twin = make_person(force, "Sam", "Rivers", dt.date(1990, 5, 5))
    plan = _approve(_draft(twin, mhlead, force), inspector, force)
    with acting_as(user_actor(officer)):
        services.merge_people(keep=person, merge=twin, reason="Same person")
    plan.refresh_from_db()
    assert plan.person == person


def test_anonymous_principal_sees_no_plan(person, force, mhlead):
    _draft(person, mhlead, force)
    assert not policy.visible_plans(Principal()).exists()
