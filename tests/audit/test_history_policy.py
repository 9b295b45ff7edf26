"""Issue 16: history follows its record, at the API and on the pages (audit/policy.py).

Each of these failed on the code before the policy: the history API answered 200 to any key
with `audit:read`, whoever owned the record, and served accounts, keys and deliveries."""

import pytest

from accounts.models import ApiKey, Membership, User
from accounts.roles import OrganisationKind, Role
from accounts.services import ensure_organisation
from audit.models import AccessLog

pytestmark = pytest.mark.django_db

HISTORY = "/api/v1/audit/history/"


@pytest.fixture
def voluntary(db):
    org, _ = ensure_organisation(
        "midshire-mind", "Midshire Mind", OrganisationKind.VOLUNTARY_SECTOR
    )
    return org


def get(client, model, pk):
    return client.get(HISTORY, {"model": model, "id": pk})


def test_a_partner_key_cannot_read_another_forces_person(api_for, voluntary, person):
    response = get(api_for(voluntary, "audit:read"), "incidents.person", person.pk)
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_another_forces_key_cannot_read_a_detentions_history(api_for, other_force, detention):
    assert (
        get(api_for(other_force, "audit:read"), "incidents.detention", detention.pk).status_code
        == 404
    )


def test_the_owning_forces_key_reads_its_persons_history(api_for, force, person):
    response = get(api_for(force, "audit:read"), "incidents.person", person.pk)
    assert response.status_code == 200
    assert response.json()[0]["change_type"] == "created"


def test_a_key_without_audit_read_is_refused(api_for, force, person):
    assert get(api_for(force, "incidents:read"), "incidents.person", person.pk).status_code == 403


def test_the_place_operator_reads_the_detention_history_but_not_a_strangers(
    api_for, health_trust, acute_trust, arrived
):
    assert (
        get(api_for(health_trust, "audit:read"), "incidents.detention", arrived.pk).status_code
        == 200
    )
    assert (
        get(api_for(acute_trust, "audit:read"), "incidents.detention", arrived.pk).status_code
        == 404
    )


@pytest.mark.parametrize("label", ["accounts.user", "accounts.membership", "accounts.apikey"])
def test_no_key_reads_accounts_memberships_or_keys(api_for, force, officer, label):
    client = api_for(force, "audit:read")
    pk = {
        "accounts.user": officer.pk,
        "accounts.membership": Membership.objects.get(user=officer).pk,
        "accounts.apikey": client.key.pk,
    }[label]
    assert get(client, label, pk).status_code == 404


def test_account_history_only_for_that_organisations_administrators_and_auditors(
    api_as, make_user, force, other_force, officer
):
    own_admin = make_user("admin-mid", force, Role.ADMINISTRATOR)
    own_auditor = make_user("auditor-mid", force, Role.AUDITOR)
    other_admin = make_user("admin-west", other_force, Role.ADMINISTRATOR)
    assert get(api_as(own_admin), "accounts.user", officer.pk).status_code == 200
    assert get(api_as(own_auditor), "accounts.user", officer.pk).status_code == 200
    assert get(api_as(other_admin), "accounts.user", officer.pk).status_code == 404
    assert get(api_as(officer), "accounts.user", officer.pk).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"model": "incidents.person", "id": "abc"},
        {"model": "incidents.person", "id": "99999999999999999999999"},
        {"model": "nothing.here", "id": "1"},
        {"model": "accounts", "id": "1"},
        {"model": "incidents.historicalperson", "id": "1"},
    ],
)
def test_bad_input_is_a_json_404_never_a_500(api_for, force, params):
    response = api_for(force, "audit:read").get(HISTORY, params)
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_missing_parameters_are_a_json_400(api_for, force):
    response = api_for(force, "audit:read").get(HISTORY)
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"model", "id"}


def test_the_page_follows_the_same_policy(web, make_user, other_force, person):
    outsider_auditor = make_user("auditor-west", other_force, Role.AUDITOR)
    # Two forces in the deployment: auditors read only their own organisation's records.
    response = web.as_user(outsider_auditor).get(f"/audit/history/incidents.person/{person.pk}/")
    assert response.status_code == 404


def test_cross_organisation_auditors_are_a_deployment_setting(
    settings, api_as, make_user, other_force, person
):
    outsider_auditor = make_user("auditor-west", other_force, Role.AUDITOR)
    settings.HARBOUR = {**settings.HARBOUR, "AUDITORS_READ_OTHER_ORGANISATIONS": True}
    client = api_as(outsider_auditor)
    # Allowed by the setting, and then outside normal access: the reason is required and logged.
    refused = get(client, "incidents.person", person.pk)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "access_reason_required"
    response = client.get(
        HISTORY,
        {"model": "incidents.person", "id": person.pk},
        HTTP_X_ACCESS_REASON="IOPC referral 2026/123",
    )
    assert response.status_code == 200
    log = AccessLog.objects.get(record_model="incidents.person", record_id=str(person.pk))
    assert log.outside_normal_roles and log.reason == "IOPC referral 2026/123"
    settings.HARBOUR = {**settings.HARBOUR, "AUDITORS_READ_OTHER_ORGANISATIONS": False}
    assert get(api_as(outsider_auditor), "incidents.person", person.pk).status_code == 404


def test_one_force_deployments_let_auditors_read_partners_records_by_default(force):
    from audit.policy import auditors_read_other_organisations

    assert User.objects.count() >= 0 and ApiKey.objects.count() >= 0
    assert auditors_read_other_organisations() is True
    ensure_organisation("westshire-police", "Westshire Police", OrganisationKind.POLICE_FORCE)
    assert auditors_read_other_organisations() is False
