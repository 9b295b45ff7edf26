"""Small builders for incident and people tests (the real services, no mocks)."""

from datetime import UTC, datetime, timedelta

from core.actor import acting_as, user_actor
from incidents import services as incident_services
from people import services as people_services

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def make_person(force, given="Alex", family="Taylor", dob=None, **fields):
    return people_services.create_person(
        organisation=force, given_name=given, family_name=family, date_of_birth=dob, **fields
    )


def make_incident(force, *, at=T0, people=(), npu=None, now=None, user=None, **fields):
    fields.setdefault("category", "crisis_or_welfare_check")
    fields.setdefault("rcrp_threshold", "risk_to_life")
    if npu is None:
        npu = force.npus.order_by("code").first()
    with acting_as(user_actor(user) if user else None):
        return incident_services.create_incident(
            organisation=force,
            occurred_at=at,
            npu=npu,
            people=people,
            now=now or at + timedelta(hours=1),
            created_by=user,
            **fields,
        )
