"""The detentions partner API: create, read, list, visibility, every event endpoint and the
rules through the endpoints (s136-rules.md)."""

from datetime import timedelta

import pytest
import time_machine

from incidents.models import Detention

from . import helpers as h
from .helpers import NOW, T0, iso

pytestmark = pytest.mark.django_db

at_now = time_machine.travel(NOW, tick=False)


def create_body(person, **over):
    body = {
        "person": person.pk,
        "power": "s136",
        "detained_at": iso(T0),
        "location_kind": "public_place",
        "mode": "removed",
        "consultation": {
            "consulted_at": iso(T0 - timedelta(minutes=5)),
            "profession": "nurse",
            "name": "Nurse Joy",
            "advice": "Take to the suite",
        },
        "conveyance_mode": "ambulance",
    }
    body.update(over)
    return body


@at_now
def test_create_returns_201_with_the_contract_fields(force, force_api):
    who = h.person(force)
    r = force_api.post("/api/v1/detentions/", create_body(who), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    for field in [
        "id",
        "reference",
        "rule_set",
        "status",
        "clock_started_at",
        "expires_at",
        "extended_until",
        "breach",
        "current_place_of_safety",
        "next_welfare_check_due_at",
        "next_review_due_at",
        "retake_by",
        "outcome",
        "ended_at",
        "person",
        "incident",
        "power",
        "detained_at",
        "location_kind",
        "mode",
        "consultation",
        "conveyance_mode",
        "conveyance_reason",
        "warrant_issued_at",
        "premises_entered_at",
    ]:
        assert field in body, field
    assert body["status"] == "in_transit"
    assert body["rule_set"] == "pca2017"
    assert body["detained_at"] == "2026-03-28T20:30:00Z"
    assert body["consultation"]["name"] == "Nurse Joy"
    assert body["breach"] is False
    assert body["person_detail"]["family_name"] == "Jones"
    d = Detention.objects.get(pk=body["id"])
    assert d.history.get().changed_by == "force-cad"
