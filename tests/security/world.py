"""A small world for the security tests: the owner force's records (a detention with its
person and incident, a referral to a partner, an alert), one user per persona, and a place."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.roles import Role
from accounts.services import issue_api_key
from alerts.models import Alert
from core.actor import acting_as, user_actor
from detentions import services as svc
from partners import services as referrals
from people import plans
from people.models import Person
from places_of_safety import services as places
from tests import factories
from tests.incidents.helpers import make_incident

UTC = dt.UTC
T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def world(
    force, other_force, health_trust, local_authority, partner_org, make_user, officer, nurse
):
    users = {
        "officer": officer,
        "sergeant": make_user("sgt", force, Role.CUSTODY_SERGEANT, rank="sergeant"),
        "inspector": make_user("insp", force, Role.INSPECTOR, rank="inspector"),
        "superintendent": make_user("supt", force, Role.SUPERINTENDENT, rank="superintendent"),
        "mhlead": make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant"),
        "npulead": make_user("npulead", force, Role.NPU_LEAD, rank="inspector"),
        "auditor": make_user("auditor", force, Role.AUDITOR),
        "admin": make_user("admin", force, Role.ADMINISTRATOR),
        "nurse": nurse,
        "doctor": make_user("doctor", health_trust, Role.DOCTOR),
        "amhp": make_user("amhp", local_authority, Role.AMHP),
        "partner": make_user("partner", partner_org, Role.PARTNER_USER),
        "outsider": make_user("outsider", other_force, Role.RESPONSE_OFFICER, rank="constable"),
    }
    users["admin"].is_staff = users["admin"].is_superuser = True  # as the demo's administrator
    users["admin"].save()
    npu = force.npus.get(code="NPU-C")
    users["npulead"].membership.npu = npu
    users["npulead"].membership.save()

    with acting_as(user_actor(officer)):
        place = places.create_place(
            name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=2
        )
        person = Person.objects.create(
            organisation=force,
            given_name="Alex",
            family_name="Example",
            date_of_birth=dt.date(1990, 1, 1),
        )
        person2 = Person.objects.create(
            organisation=force,
            given_name="Alexa",
            family_name="Example",
            date_of_birth=dt.date(1990, 1, 2),
        )
        incident = make_incident(force, people=[person], npu=npu, user=officer)
        detention = factories.detention(force, person, detained_at=T0, incident=incident, npu=npu)
        svc.record_arrival(
            detention,
            place_of_safety=place,
            arrived_at=T0 + dt.timedelta(minutes=30),
            now=T0 + dt.timedelta(minutes=31),
        )
        referral = referrals.send_referral(
            from_organisation=force,
            to_organisation=partner_org,
            service="liaison_diversion",
            person=person,
            reason="Repeated crises",
            urgency="routine",
            consent="given",
            incident=incident,
            created_by=officer,
            now=T0 + dt.timedelta(hours=1),
        )
        alert = Alert.objects.create(
            kind=Alert._meta.get_field("kind").choices[0][0],
            detention=detention,
            due_at=T0 + dt.timedelta(hours=20),
            raised_at=T0 + dt.timedelta(hours=20),
            organisations=[force.pk, health_trust.pk],
            roles=[Role.RESPONSE_OFFICER, Role.CUSTODY_SERGEANT, Role.PLACE_OF_SAFETY_STAFF],
        )
    # A response plan written by the force's mental health lead, approved by its inspector,
    # addressed to the force and the trust (not to the partner, nor the council).
    soon = timezone.localdate() + dt.timedelta(days=200)
    with acting_as(user_actor(users["mhlead"])):
        plan = plans.create_plan(
            person=person,
            author_organisation=force,
            addressed_to=[health_trust],
            written_by=users["mhlead"],
            what_helps="Speak slowly",
            markers=[{"kind": "risk_to_staff", "details": "Spits", "review_on": soon}],
        )
        plan = plans.submit_plan(plan, submitted_by=users["mhlead"])
    with acting_as(user_actor(users["inspector"])):
        plan = plans.approve_plan(plan, approved_by=users["inspector"], organisation=force)
    key, _secret = issue_api_key(force, "force-key", ["detentions:read"])
    detention.refresh_from_db()
    return SimpleNamespace(
        users=users,
        force=force,
        place=place,
        person=person,
        person2=person2,
        incident=incident,
        detention=detention,
        referral=referral,
        alert=alert,
        officer=officer,
        npu_code=npu.code,
        report_key="s136_count",
        history_label="incidents.detention",
        api_key_prefix=key.prefix,
        retention_target=detention,
        plan=plan,
    )
