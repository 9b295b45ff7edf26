"""Issue 16: `GET /api/v1/audit/history/?model=&id=` follows its record.

- A record's history is visible exactly where the record is: another force's key or auditor, or
  a partner's key, gets 404 for Midshire's person.
- The history of accounts, memberships, keys and alert deliveries: only that organisation's
  administrators and auditors (a key is neither: 404).
- Bad input (`id=abc`, an unknown model, a model without history) is a JSON 400 or 404 in the
  API's error format, never a 500.

Cases that fail on today's code are strict xfails, each with its reason.
"""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from alerts.models import Delivery
from core.actor import acting_as, user_actor
from tests.security.otp import sign_in

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/history/"
LEAK = "issue 16: the history API answers any key with audit:read, whoever owns the record"
AUDITOR_ELSEWHERE = (
    "issue 16 item 2: an auditor reads another organisation's records; with two forces in the "
    "deployment that is off by default"
)
ACCOUNTS = "issue 16 item 2: accounts, memberships, keys and deliveries: only that organisation's "


@pytest.fixture
def doors(world, other_force, partner_org, make_user, api_for):
    """Callers: Midshire's auditor, administrator and officer (sessions), Westshire's auditor,
    and keys with `audit:read` of Midshire, Westshire and the partner."""
    west_auditor = make_user("west-auditor", other_force, Role.AUDITOR)

    def session(user):
        return sign_in(APIClient(raise_request_exception=False), user)

    def key(org, name):
        client = api_for(org, "audit:read", name=name)
        client.raise_request_exception = False
        return client

    callers = {
        "auditor": session(world.users["auditor"]),
        "admin": session(world.users["admin"]),
        "officer": session(world.users["officer"]),
        "west-auditor": session(west_auditor),
        "key": key(world.force, "midshire-audit"),
        "west-key": key(other_force, "westshire-audit"),
        "partner-key": key(partner_org, "partner-audit"),
    }
    with acting_as(user_actor(world.users["officer"])):
        delivery = Delivery.objects.create(
            alert=world.alert, user=world.users["officer"], address="officer@midshire.example"
        )
    key_record = callers["key"].key
    records = {
        "incidents.person": world.person.pk,
        "accounts.user": world.users["officer"].pk,
        "accounts.membership": world.users["officer"].membership.pk,
        "accounts.apikey": key_record.pk,
        "alerts.delivery": delivery.pk,
    }
    return callers, records


def _get(client, model, pk):
    return client.get(URL, {"model": model, "id": pk})


def xfail(reason):
    """Failed before the one policy (issue 16, `reason`); passes since."""
    return ()


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("key", 200),
        # Seen through the auditor role only: the reason is asked first (audit.access), as on
        # the history page (test_the_auditor_reads_it_with_a_reason).
        ("auditor", 403),
        # History follows its record: the person's own force's users who may see the person
        # read its history too, at the page and the API alike.
        ("officer", 200),
        pytest.param("west-key", 404, marks=xfail(LEAK)),
        pytest.param("partner-key", 404, marks=xfail(LEAK)),
        pytest.param("west-auditor", 404, marks=xfail(AUDITOR_ELSEWHERE)),
    ],
)
def test_a_persons_history_is_visible_where_the_person_is(doors, caller, status):
    callers, records = doors
    response = _get(callers[caller], "incidents.person", records["incidents.person"])
    assert response.status_code == status
    if status == 200:
        assert response.json()[0]["change_type"] == "created"


def test_the_auditor_reads_it_with_a_reason(doors):
    callers, records = doors
    pk = records["incidents.person"]
    refused = _get(callers["auditor"], "incidents.person", pk)
    assert refused.json()["errors"][0]["code"] == "access_reason_required"
    response = callers["auditor"].get(
        URL, {"model": "incidents.person", "id": pk}, HTTP_X_ACCESS_REASON="Audit sample 12"
    )
    assert response.status_code == 200


ACCOUNT_MODELS = ["accounts.user", "accounts.membership", "accounts.apikey", "alerts.delivery"]


@pytest.mark.parametrize("model", ACCOUNT_MODELS)
@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("auditor", 200),
        pytest.param("admin", 200, marks=xfail(ACCOUNTS + "administrators (403 today)")),
        ("officer", 404),  # not theirs to see (the person's force's own users included)
        pytest.param("key", 404, marks=xfail(ACCOUNTS + "administrators and auditors, not keys")),
        pytest.param("west-key", 404, marks=xfail(LEAK)),
        pytest.param("partner-key", 404, marks=xfail(LEAK)),
        pytest.param("west-auditor", 404, marks=xfail(AUDITOR_ELSEWHERE)),
    ],
)
def test_account_histories_only_for_the_organisations_administrators_and_auditors(
    doors, model, caller, status
):
    callers, records = doors
    response = _get(callers[caller], model, records[model])
    assert response.status_code == status, response.content[:200]


def _is_api_error(response, statuses=(400, 404)):
    assert response.status_code in statuses, response.status_code
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] == "client_error" and body["errors"], body


@pytest.mark.parametrize("caller", ["key", "auditor"])
def test_a_non_numeric_id_is_a_json_client_error(doors, caller):
    callers, _records = doors
    _is_api_error(_get(callers[caller], "incidents.person", "abc"))


@pytest.mark.parametrize(
    "model",
    [
        "nothing.here",  # no such app
        "incidents.nothing",  # no such model
        "incidents",  # not app_label.model
        "contenttypes.contenttype",  # a model without history
        "incidents.historicalperson",  # a history table itself
    ],
)
@pytest.mark.parametrize("caller", ["key", "auditor"])
def test_an_unknown_model_or_one_without_history_is_a_json_404(doors, caller, model):
    callers, _records = doors
    _is_api_error(_get(callers[caller], model, 1), statuses=(400, 404))


@pytest.mark.parametrize("caller", ["key", "auditor"])
def test_a_record_that_does_not_exist_is_a_json_404(doors, caller):
    callers, _records = doors
    _is_api_error(_get(callers[caller], "incidents.person", 999999), statuses=(404,))
