"""Audit search across every history table: by person, record, actor, organisation, dates and
kind of change; CSV export; auditors only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit import search
from core.actor import acting_as, user_actor
from detentions import services as svc

from .conftest import T0


@pytest.fixture
def corrected(arrived, inspector):
    with acting_as(user_actor(inspector)):
        svc.correct(
            arrived,
            kind="other",
            reason="Typo in the location",
            changes={"location_description": "High Street"},
            now=T0 + dt.timedelta(hours=1),
        )
    return arrived


def _rows(**criteria):
    rows, _more = search.page(search.Criteria(**criteria))
    return {(r["a_model"], r["a_type"], r["a_changed_by"]) for r in rows}


@pytest.mark.django_db
def test_search_by_person_finds_the_person_their_detention_and_its_events(corrected):
    rows = _rows(person=corrected.person_id)
    models = {m for m, _t, _b in rows}
    assert {"incidents.person", "incidents.detention", "incidents.detentionarrival"} <= models
    assert "places_of_safety.placeofsafety" not in models


@pytest.mark.django_db
def test_search_by_record_reference_actor_kind_and_organisation(corrected, force, health_trust):
    by_ref = _rows(model="incidents.detention", record_id=corrected.reference)
    assert ("incidents.detentionarrival", "+", "nurse") in by_ref
    assert _rows(model="incidents.detention", record_id=corrected.reference, kind="correction") == {
        ("incidents.detention", "~", "inspector")
    }
    assert {b for _m, _t, b in _rows(actor="nurs")} == {"nurse"}
    # The nurse's organisation as the actor's: only what the nurse did.
    assert {b for _m, _t, b in _rows(organisation=health_trust.pk, whose="actor")} == {"nurse"}
    # The force as the record's organisation: its detention and person, not the trust's place.
    record_models = {m for m, _t, _b in _rows(organisation=force.pk, whose="record")}
    assert "incidents.detention" in record_models
    assert "places_of_safety.placeofsafety" not in record_models
    today = timezone.localdate()
    assert _rows(date_from=today + dt.timedelta(days=1)) == set()
    assert _rows(date_from=today, date_to=today, actor="inspector")


@pytest.mark.django_db
def test_the_search_page_and_csv_are_for_auditors_only(web, auditor, officer, corrected):
    client = web.as_user(auditor)
    page = client.get("/audit/", {"person": corrected.person_id})
    assert page.status_code == 200
    assert "Correction" in page.content.decode()
    csv = client.get("/audit/export.csv", {"person": corrected.person_id})
    assert csv.status_code == 200 and csv.streaming
    text = b"".join(csv.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("record_type,record_id,history_id,changed_at_utc")
    assert any("Typo in the location" in line and line.endswith(",yes") for line in lines)
    web.logout()
    assert web.as_user(officer).get("/audit/").status_code == 403
    assert web.as_user(officer).get("/audit/export.csv").status_code == 403


@pytest.mark.django_db
def test_the_search_page_has_a_fixed_number_of_queries(web, auditor, corrected, nurse):
    client = web.as_user(auditor)
    client.get("/audit/", {"kind": "~"})
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/", {"kind": "~"})
    with acting_as(user_actor(nurse)):
        for minutes in (40, 50, 60):
            svc.record_assessment(
                corrected,
                amhp_requested_at=T0 + dt.timedelta(minutes=minutes),
                now=T0 + dt.timedelta(hours=2),
            )
    with CaptureQueriesContext(connection) as many:
        client.get("/audit/", {"kind": "~"})
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_csv_carries_no_live_formula(web, auditor, arrived, inspector):
    from tests.core.test_csv import HOSTILE, assert_no_live_formula

    inspector.username = "@inspector"
    inspector.save()
    with acting_as(user_actor(inspector)):
        svc.correct(
            arrived,
            kind="other",
            reason="correction " + HOSTILE[0],
            changes={"location_description": HOSTILE[1]},
            now=T0 + dt.timedelta(hours=1),
        )
    # the reason column starts with the reason text: a hostile one
    from detentions.models import Detention

    Detention.history.filter(id=arrived.pk).update(history_change_reason=HOSTILE[4])
    response = web.as_user(auditor).get("/audit/export.csv", {"person": arrived.person_id})
    import csv as stdlib_csv
    import io

    rows = list(stdlib_csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert_no_live_formula(rows)
    assert any(cell == "'@inspector" for row in rows for cell in row)
    assert any(cell == "'" + HOSTILE[4] for row in rows for cell in row)
