"""Advice recorded on a detention and on an incident, from the request-advice page."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from advisers import services
from advisers.models import AdviceRecord, Function
from incidents.services import create_incident
from tests.advisers.helpers import sign_in

from .conftest import local_parts, make_detention, utc

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 10, 14, 0)


@pytest.fixture
def incident(force, officer):
    return create_incident(
        organisation=force,
        occurred_at=NOW - dt.timedelta(hours=2),
        category="section_136",
        rcrp_threshold="risk_to_life",
        created_by=officer,
        now=NOW,
    )


@pytest.fixture
def detention(force, incident):
    return make_detention(force, incident, NOW)


@pytest.fixture
def on_shift(force, mh_lead):
    return services.add_shift(
        force=force,
        function=Function.CUSTODY,
        adviser=mh_lead,
        starts_at=NOW - dt.timedelta(hours=4),
        ends_at=NOW + dt.timedelta(hours=4),
    )


def advice_post(who, **extra):
    data = {
        "function": "custody",
        "adviser": str(who.pk),
        "adviser_name": "",
        "advice": "Seek an ambulance; consider the s136 suite at Northbridge.",
    }
    data.update(local_parts("requested_at", 10, 6, 2026, "14:50"))  # 13:50Z (BST)
    data.update(local_parts("advice_given_at", 10, 6, 2026, "14:55"))
    data.update(extra)
    return data


@time_machine.travel(NOW, tick=False)
def test_a_custody_sergeant_records_advice_on_a_detention(
    web, sergeant, mh_lead, detention, on_shift
):
    client = sign_in(web, sergeant)
    page = client.get(f"/advisers/request/?detention={detention.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mhlead" in body and "(on duty now)" in body
    assert "No adviser on duty" in body  # Response and Force Contact have nobody
    response = client.post(f"/advisers/request/?detention={detention.pk}", advice_post(mh_lead))
    assert response.status_code == 302
    record = AdviceRecord.objects.get()
    assert (record.detention, record.incident, record.adviser, record.requested_by) == (
        detention,
        None,
        mh_lead,
        sergeant,
    )
    assert record.requested_at == utc(2026, 6, 10, 13, 50)
    assert record.advice_given_at == utc(2026, 6, 10, 13, 55)
    assert record.history.get().changed_by == "sergeant"
    assert "Seek an ambulance" in client.get(response["Location"]).content.decode()


@time_machine.travel(NOW, tick=False)
def test_advice_on_an_incident_from_an_adviser_not_in_harbour(web, officer, incident):
    client = sign_in(web, officer)
    data = advice_post(
        officer, adviser="", adviser_name="Sgt K. Patel (Westshire)", function="response"
    )
    response = client.post(f"/advisers/request/?incident={incident.pk}", data)
    assert response.status_code == 302
    record = AdviceRecord.objects.get()
    assert (record.incident, record.detention, record.adviser, record.adviser_name) == (
        incident,
        None,
        None,
        "Sgt K. Patel (Westshire)",
    )


@time_machine.travel(NOW, tick=False)
def test_advice_refused_without_adviser_or_with_times_out_of_order(web, officer, incident):
    client = sign_in(web, officer)
    data = advice_post(officer, adviser="")
    data.update(local_parts("advice_given_at", 10, 6, 2026, "14:40"))
    response = client.post(f"/advisers/request/?incident={incident.pk}", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose the adviser or enter their name" in body
    assert not AdviceRecord.objects.exists()
    data = advice_post(officer, adviser="", adviser_name="X")
    data.update(local_parts("advice_given_at", 10, 6, 2026, "14:40"))
    body = client.post(f"/advisers/request/?incident={incident.pk}", data).content.decode()
    assert "cannot be given before it was requested" in body
    data = advice_post(officer, adviser="", adviser_name="X")
    data.update(local_parts("advice_given_at", 10, 6, 2026, "18:40"))
    body = client.post(f"/advisers/request/?incident={incident.pk}", data).content.decode()
    assert "must be in the past" in body
    assert not AdviceRecord.objects.exists()


def test_the_service_needs_an_incident_or_a_detention(force, officer, mh_lead):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    with pytest.raises(ValidationError):
        services.record_advice(
            force=force,
            function=Function.CUSTODY,
            adviser=mh_lead,
            requested_by=officer,
            requested_at=now,
            advice_given_at=now,
            advice="x",
        )


def test_request_page_permissions(web, make_user, force, other_force, detention, incident, nurse):
    outsider = make_user("outsider-sgt", other_force, Role.CUSTODY_SERGEANT)
    npu_lead = make_user("npulead", force, Role.NPU_LEAD)
    url = f"/advisers/request/?detention={detention.pk}"
    assert sign_in(web, npu_lead).get(url).status_code == 403  # wrong role
    assert sign_in(web, nurse).get(url).status_code == 403
    assert sign_in(web, outsider).get(url).status_code == 404  # another force's detention
    assert (
        sign_in(web, outsider).get(f"/advisers/request/?incident={incident.pk}").status_code == 404
    )
    web.logout()
    assert web.get(url).status_code == 302


def test_request_page_needs_a_subject(web, officer):
    client = sign_in(web, officer)
    assert client.get("/advisers/request/").status_code == 404
    assert client.get("/advisers/request/?detention=abc").status_code == 404
    assert client.get("/advisers/request/?detention=999999").status_code == 404
