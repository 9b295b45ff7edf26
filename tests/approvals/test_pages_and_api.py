"""Approvals at both doors: the approver's page of approvals waiting (one-step approve, GOV.UK
errors naming the field), the sergeant's request and the approval on the approver's word, the
API (request, approve, refuse; the contract's error body), and another force (404)."""

import datetime as dt

import pytest

from alerts.models import Alert
from core.actor import acting_as, user_actor
from detentions import approvals
from detentions.models import Approval
from tests.pages.helpers import local

pytestmark = pytest.mark.django_db


def _now():
    return dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)


def _ask(d, user, kind):
    with acting_as(user_actor(user)):
        return approvals.request_approval(d, kind=kind, user=user)


# --------------------------------------------------------------------------- pages
def test_the_sergeant_asks_from_the_detention_page(web, sergeant, in_transit):
    client = web.as_user(sergeant)
    page = client.get(in_transit.get_absolute_url()).content.decode()
    assert f"/approvals/detentions/{in_transit.pk}/ask/" in page
    empty = client.post(f"/approvals/detentions/{in_transit.pk}/ask/", {})
    assert empty.status_code == 200
    html = empty.content.decode()
    assert 'href="#id_kind"' in html and "Select what you need approved" in html
    assert "<title>Error:" in html
    response = client.post(
        f"/approvals/detentions/{in_transit.pk}/ask/", {"kind": "police_station", "note": "ED full"}
    )
    assert response.status_code == 302
    approval = Approval.objects.get(detention=in_transit)
    assert approval.requested_by == sergeant
    page = client.get(in_transit.get_absolute_url()).content.decode()
    assert "Waiting for a decision" in page


def test_the_inspector_approves_in_one_step_from_their_list(web, sergeant, inspector, in_transit):
    approval = _ask(in_transit, sergeant, Approval.Kind.POLICE_STATION)
    client = web.as_user(inspector)
    page = client.get("/approvals/")
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert row["approval"] == approval
    assert row["form"]["rank"].value() == "inspector"  # the account's rank, changeable
    # A time in the future is refused beside the field, nothing changes.
    later = _now() + dt.timedelta(hours=2)
    prefix = f"a{approval.pk}"
    response = client.post(
        f"/approvals/{approval.pk}/approve/",
        {f"{prefix}-rank": "inspector", **local(f"{prefix}-decided_at", later)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{prefix}-decided_at"' in html
    approval.refresh_from_db()
    assert approval.state == "requested"
    response = client.post(
        f"/approvals/{approval.pk}/approve/",
        {f"{prefix}-rank": "inspector", **local(f"{prefix}-decided_at", _now())},
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.state, approval.approver) == ("approved", inspector)
    # The alert in the inbox linked to the list; it is closed now.
    assert Alert.objects.get(detention=in_transit).closed_at is not None
    detention_page = web.as_user(sergeant).get(in_transit.get_absolute_url()).content.decode()
    assert "from the approver&#x27;s own account" in detention_page


def test_the_wrong_role_gets_403_and_another_force_404(
    web, sergeant, officer, other_superintendent, held_at_station, inspector
):
    approval = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    assert web.as_user(officer).get("/approvals/").status_code == 403
    # An inspector may not approve an extension: 403 at the door, nothing changes.
    client = web.as_user(inspector)
    assert client.post(f"/approvals/{approval.pk}/approve/", {}).status_code == 403
    assert client.get(f"/approvals/{approval.pk}/refuse/").status_code == 403
    other = web.as_user(other_superintendent)
    assert other.get("/approvals/").context["rows"] == []
    assert other.post(f"/approvals/{approval.pk}/approve/", {}).status_code == 404
    approval.refresh_from_db()
    assert approval.state == "requested"


def test_the_sergeant_records_an_approval_on_the_approvers_word(web, sergeant, held_at_station):
    client = web.as_user(sergeant)
    url = f"/approvals/detentions/{held_at_station.pk}/on-word/"
    response = client.post(url, {"kind": "extension", "approver_name": "Supt Rowe"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"approver_rank", "decided_at"}
    response = client.post(
        url,
        {
            "kind": "extension",
            "approver_name": "Supt Rowe",
            "approver_rank": "superintendent",
            **local("decided_at", _now()),
        },
    )
    assert response.status_code == 302
    approval = Approval.objects.get(detention=held_at_station)
    assert approval.on_word and approval.approver is None
    page = client.get(held_at_station.get_absolute_url()).content.decode()
    assert "recorded by the sergeant on the approver&#x27;s word" in page


# --------------------------------------------------------------------------- API
def test_the_api_asks_approves_and_answers_in_the_contracts_format(
    api_as, sergeant, superintendent, held_at_station, api_for, force
):
    response = api_as(sergeant).post(
        "/api/v1/approvals/",
        {"detention": held_at_station.pk, "kind": "extension", "note": "Intoxicated"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    approval_id = response.json()["id"]
    assert response.json()["state"] == "requested"
    again = api_as(sergeant).post(
        "/api/v1/approvals/",
        {"detention": held_at_station.pk, "kind": "extension"},
        format="json",
    )
    assert again.status_code == 400
    assert again.json()["type"] == "validation_error"
    assert again.json()["errors"][0]["code"] == "approval_waiting"
    assert again.json()["errors"][0]["attr"] == "kind"
    # The sergeant cannot approve (403); a key cannot either (an approval is a person's).
    assert api_as(sergeant).post(f"/api/v1/approvals/{approval_id}/approve/").status_code == 403
    key = api_for(force, "detentions:read", "detentions:write")
    assert key.post(f"/api/v1/approvals/{approval_id}/approve/").status_code == 403
    response = api_as(superintendent).post(
        f"/api/v1/approvals/{approval_id}/approve/", {}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["approver_rank"], body["on_word"]) == (
        "approved",
        "superintendent",
        False,
    )
    assert body["how_given"] == "given from the approver's own account"
    waiting = api_as(superintendent).get("/api/v1/approvals/?state=requested").json()
    assert waiting["count"] == 0


def test_the_api_refusal_needs_a_reason_and_another_force_sees_nothing(
    api_as, sergeant, superintendent, other_superintendent, held_at_station
):
    approval = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    other = api_as(other_superintendent)
    assert other.get(f"/api/v1/approvals/{approval.pk}/").status_code == 404
    assert (
        other.post(
            f"/api/v1/approvals/{approval.pk}/refuse/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    response = api_as(superintendent).post(
        f"/api/v1/approvals/{approval.pk}/refuse/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "required",
            "detail": "Say why you refuse, so the sergeant can act on it.",
            "attr": "reason",
        }
    ]
    approval.refresh_from_db()
    assert approval.state == "requested"


def test_the_api_records_on_the_approvers_word(api_as, sergeant, held_at_station):
    response = api_as(sergeant).post(
        "/api/v1/approvals/",
        {
            "detention": held_at_station.pk,
            "kind": "extension",
            "on_word": True,
            "approver_name": "Supt Rowe",
            "approver_rank": "superintendent",
            "decided_at": _now().isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["on_word"] is True
    assert response.json()["how_given"] == "recorded by the sergeant on the approver's word"


def test_the_extension_page_shows_the_approval_given(
    web, sergeant, superintendent, held_at_station
):
    approval = _ask(held_at_station, sergeant, Approval.Kind.EXTENSION)
    with acting_as(user_actor(superintendent)):
        approvals.approve(approval, user=superintendent)
    page = web.as_user(superintendent).get(f"/detentions/{held_at_station.pk}/extension/")
    assert page.status_code == 200
    assert "A superintendent&#x27;s approval is on record" in page.content.decode()
