"""Three personas for referrals: the sending force, the receiving partner, an outsider partner.

Records are made through the real services; time is passed explicitly."""

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.roles import OrganisationKind, Role
from accounts.services import ensure_organisation
from incidents import services as incident_services
from partners import services
from people import services as people_services
from tests import factories

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def outsider_partner(db):
    org, _ = ensure_organisation(
        "harbourside-mind", "Harbourside Mind", OrganisationKind.VOLUNTARY_SECTOR
    )
    return org


@pytest.fixture
def partner_user(make_user, partner_org):
    return make_user("lee", partner_org, Role.PARTNER_USER)


@pytest.fixture
def outsider_user(make_user, outsider_partner):
    return make_user("olu", outsider_partner, Role.PARTNER_USER)


@pytest.fixture
def person(force):
    return people_services.create_person(
        organisation=force,
        given_name="Jamie",
        family_name="Rowe",
        date_of_birth=date(1991, 4, 5),
        gender="female",
        ethnicity="W1",
        nhs_number="9434765919",
    )


@pytest.fixture
def incident(force, person):
    return incident_services.create_incident(
        organisation=force,
        occurred_at=T0,
        category="crisis_or_welfare_check",
        rcrp_threshold="risk_to_life",
        people=[person],
        npu=force.npus.order_by("code").first(),
        now=T0 + timedelta(minutes=30),
    )


@pytest.fixture
def detention(force, person, incident):
    return factories.detention(force, person, detained_at=T0, incident=incident)


@pytest.fixture
def send(force, partner_org, person, incident):
    def make(*, to=None, urgency="urgent", now=None, **fields):
        fields.setdefault("incident", incident)
        return services.send_referral(
            from_organisation=fields.pop("from_organisation", force),
            to_organisation=to or partner_org,
            service=fields.pop("service", "liaison_diversion"),
            person=fields.pop("person", person),
            reason=fields.pop("reason", "Repeated crises; would benefit from L&D assessment."),
            urgency=urgency,
            consent=fields.pop("consent", "given"),
            now=now or T0 + timedelta(hours=1),
            **fields,
        )

    return make
