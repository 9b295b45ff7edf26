import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import NPU, ApiKey, Organisation, User
from core.security import otp_required

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_organisation_is_idempotent_and_adds_npus():
    run(
        "create_organisation",
        "eastshire",
        "--name",
        "Eastshire Police",
        "--kind",
        "police_force",
        "--npus",
        "E1:East One,E2:East Two",
    )
    run(
        "create_organisation",
        "eastshire",
        "--name",
        "Eastshire Police",
        "--kind",
        "police_force",
        "--npus",
        "E1:East One,E2:East Two",
    )
    assert Organisation.objects.filter(slug="eastshire").count() == 1
    assert list(NPU.objects.filter(force__slug="eastshire").values_list("code", flat=True)) == [
        "E1",
        "E2",
    ]


def test_create_organisation_refuses_npus_for_a_trust():
    with pytest.raises(CommandError, match="Only a police force"):
        run(
            "create_organisation",
            "trust",
            "--name",
            "Trust",
            "--kind",
            "acute_trust",
            "--npus",
            "A:B",
        )


def test_issue_api_key_prints_the_key_alone_on_the_last_line_and_stores_only_a_hash(client):
    run("create_organisation", "trust", "--name", "Trust", "--kind", "mental_health_trust")
    out = run(
        "issue_api_key", "--organisation", "trust", "--scopes", "places:read", "--name", "beds"
    )
    secret = out.strip().splitlines()[-1]
    key = ApiKey.objects.get(name="beds")
    assert secret not in key.hashed_key and key.scopes == ["places:read"]
    assert (
        Client()
        .get("/api/v1/places-of-safety/", HTTP_AUTHORIZATION=f"Api-Key {secret}")
        .status_code
        == 200
    )


def test_issue_api_key_refuses_unknown_scopes():
    run("create_organisation", "trust", "--name", "Trust", "--kind", "mental_health_trust")
    with pytest.raises(CommandError, match="Unknown scope"):
        run(
            "issue_api_key",
            "--organisation",
            "trust",
            "--scopes",
            "everything:write",
            "--name",
            "x",
        )


def test_seed_demo_is_idempotent_and_every_demo_user_can_sign_in():
    first = run("seed_demo")
    counts = (Organisation.objects.count(), User.objects.count())
    run("seed_demo")
    assert (Organisation.objects.count(), User.objects.count()) == counts
    # The demo's response plan: approved by a second person, shown to officers (issue 21).
    from people.models import ResponsePlan

    plan = ResponsePlan.objects.get()
    assert plan.status == "approved" and plan.decided_by != plan.written_by
    assert "harbour-demo-2026" in first
    assert "demo_otp" in first
    for user in User.objects.all():
        c = Client()
        assert c.login(username=user.username, password="harbour-demo-2026"), user.username
        if otp_required(user):
            # The printed second factor works: the code `demo_otp` prints is accepted.
            assert c.get("/").status_code == 302
            code = run("demo_otp", user.username).strip()
            r = c.post("/account/two-factor/verify/", {"otp_token": code})
            assert r.status_code == 302, user.username
        assert c.get("/").status_code == 200
