"""The history of a record in plain words: who, when (UK time), what changed; corrections marked;
a detention's events in one timeline; permissions; a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit import history
from core.actor import acting_as, api_key_actor, system_actor, user_actor
from detentions import services as svc
from detentions.models import (
    Assessment,
    Correction,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    PoliceStationDecision,
    Review,
    Transfer,
    TransferException,
    WelfareCheck,
)

from .conftest import T0


def _give_reason(client, model, pk):
    client.post(
        "/audit/access/reason/",
        {"model": model, "pk": pk, "reason": "Audit of detentions, November 2026"},
    )


def test_a_detentions_events_are_discovered_from_the_models():
    children = {model for model, _fk in history.owned_children(Detention)}
    assert {
        DetentionArrival,
        Transfer,
        WelfareCheck,
        Review,
        Extension,
        Assessment,
        Handover,
        Escape,
        TransferException,
        Correction,
    } <= children
    assert (PoliceStationDecision, "police_station_decision_id") in history.owned_one_to_ones(
        DetentionArrival, Detention
    )


@pytest.mark.django_db
def test_the_history_page_says_who_changed_what_in_plain_words(web, officer, inspector, arrived):
    with acting_as(user_actor(inspector)):
        svc.correct(
            arrived,
            kind="wrong_time",
            reason="Detained 5 minutes earlier per body-worn video",
            changes={"location_description": "Outside the library"},
            now=T0 + dt.timedelta(hours=1),
        )
    response = web.as_user(officer).get(f"/audit/history/incidents.detention/{arrived.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    # Who: the user; the nurse recorded the arrival.
    assert "officer" in body and "nurse" in body and "inspector" in body
    # Verbose names and choice labels, FK targets by name.
    assert "Power set to Section 136 (removal from a public place)" in body
    assert "Place set to Ashdown suite" in body
    # The correction is marked, with its reason, and says what it changed.
    corrected = body[body.index("Reason for the correction") :]
    assert "correction (wrong_time): Detained 5 minutes earlier per body-worn video" in corrected
    card = body[: body.index("Reason for the correction")]
    assert "govuk-tag--orange" in card[card.rindex("govuk-summary-card__title") :]
    assert "Where set to Outside the library" in corrected
    # Times in UK time with the zone.
    assert "BST" in body


@pytest.mark.django_db
def test_versions_say_set_changed_and_cleared():
    from accounts.services import ensure_organisation
    from people.models import Person

    org, _ = ensure_organisation("x-force", "X Force", "police_force")
    with acting_as(system_actor("incidents.tasks.import", {"label": "cad-key"})):
        p = Person.objects.create(organisation=org, given_name="Sam", family_name="Jones")
    with acting_as(
        api_key_actor(type("K", (), {"name": "cad-key", "pk": "k1", "organisation_id": org.pk})())
    ):
        p.family_name = "Smith"
        p.date_of_birth = dt.date(1980, 2, 3)
        p.save()
        p.date_of_birth = None
        p.save()
    versions = history.timeline(Person, p.pk)
    assert [v.type_label for v in versions] == ["Created", "Changed", "Changed"]
    created, renamed, cleared = versions
    assert "Family name set to Jones" in [c.sentence for c in created.changes]
    assert created.who == "System task “incidents.tasks.import” (triggered by cad-key)"
    assert [c.sentence for c in renamed.changes] == [
        "Family name changed from Jones to Smith",
        "Date of birth set to 3 February 1980",
    ]
    assert renamed.who == "API key “cad-key”"
    assert [c.sentence for c in cleared.changes] == ["Date of birth cleared (was 3 February 1980)"]


@pytest.mark.django_db
def test_who_may_see_a_records_history(
    web, officer, nurse, outsider_officer, auditor, arrived, make_user, other_force, settings
):
    url = f"/audit/history/incidents.detention/{arrived.pk}/"
    assert web.as_user(officer).get(url).status_code == 200  # the owning force
    web.logout()
    assert web.as_user(nurse).get(url).status_code == 200  # the place's operator
    web.logout()
    assert web.as_user(outsider_officer).get(url).status_code == 404
    web.logout()
    # An auditor of another organisation: not in a deployment of two forces (issue 16)...
    from accounts.roles import Role

    outside_auditor = make_user("iopc", other_force, Role.AUDITOR)
    client = web.as_user(outside_auditor)
    assert client.get(url).status_code == 404
    # ...and where the deployment allows it, any record after giving a reason.
    settings.HARBOUR = {**settings.HARBOUR, "AUDITORS_READ_OTHER_ORGANISATIONS": True}
    assert client.get(url).status_code == 302
    _give_reason(client, "incidents.detention", arrived.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Who has viewed this record" in page.content.decode()
    # Events' own history pages follow their detention's visibility.
    arrival = arrived.arrival
    event_url = f"/audit/history/incidents.detentionarrival/{arrival.pk}/"
    web.logout()
    assert web.as_user(officer).get(event_url).status_code == 200
    web.logout()
    assert web.as_user(outsider_officer).get(event_url).status_code == 404
    assert web.get("/audit/history/incidents.nosuchmodel/1/").status_code == 404


@pytest.mark.django_db
def test_the_history_page_has_a_fixed_number_of_queries(web, officer, arrived, nurse):
    url = f"/audit/history/incidents.detention/{arrived.pk}/"
    client = web.as_user(officer)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with acting_as(user_actor(nurse)):
        for minutes in (40, 50, 60):
            svc.record_assessment(
                arrived,
                amhp_requested_at=T0 + dt.timedelta(minutes=minutes),
                now=T0 + dt.timedelta(minutes=minutes + 1),
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.django_db
def test_history_link_tag(rf, officer, arrived, outsider_officer, partner_org, make_user):
    from django.template import Context, Template

    from accounts.roles import Role

    template = Template("{% load audit %}{% history_link detention %}")
    request = rf.get("/")
    request.user = officer
    html = template.render(Context({"request": request, "detention": arrived}))
    assert f'href="/audit/history/incidents.detention/{arrived.pk}/"' in html
    request.user = make_user("p", partner_org, Role.PARTNER_USER)
    assert "href" not in template.render(Context({"request": request, "detention": arrived}))


@pytest.mark.django_db
def test_the_history_api_for_audit_keys(api_for, force, arrived):
    client = api_for(force, "audit:read")
    response = client.get(f"/api/v1/audit/history/?model=incidents.detention&id={arrived.pk}")
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    first = data[0]
    assert (first["model"], first["change_type"], first["changed_by"]) == (
        "incidents.detention",
        "created",
        "officer",
    )
    assert first["changes"]["power"] == [None, "s136"]
    assert first["changed_at"].endswith("Z")
    assert {d["model"] for d in data} >= {"incidents.detention", "incidents.detentionarrival"}
    assert (
        api_for(force, "detentions:read")
        .get(f"/api/v1/audit/history/?model=incidents.detention&id={arrived.pk}")
        .status_code
        == 403
    )
