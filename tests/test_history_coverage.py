"""Every model in the project keeps history, and each history row knows who acted."""

import pytest
from django.apps import apps
from simple_history.models import registered_models

from accounts.models import ApiKey, Organisation
from accounts.roles import Role
from accounts.tasks import revoke_expired_api_keys
from core.actor import acting_as, user_actor
from places_of_safety.models import PlaceOfSafety
from tests.conftest import wait_for
from tests.security.otp import sign_in_with_second_factor

PROJECT_APPS = {
    "core",
    "accounts",
    "places_of_safety",
    "people",
    "incidents",
    "detentions",
    "partners",
    "reporting",
    "alerts",
    "audit",
    "assessments",
    "advisers",
    "protocols",
    "training",
    "privacy",
    "use_of_force",
}

# Models deliberately without a history table, each with its reason.
NO_HISTORY = {
    # Append-only audit rows are themselves the record and are sealed into a hash chain.
    "audit.AccessLog",
    "audit.AuditSeal",
    # Request replay cache for Idempotency-Key: holds copies of responses, not records.
    "core.IdempotencyRecord",
    # Dashboard summaries derived from the incidents (which keep history) and rebuilt from them.
    "reporting.IncidentDay",
    "reporting.IncidentMonth",
    "reporting.IncidentDelta",
    "reporting.CurrentIncidentDay",
    "reporting.CurrentIncidentMonth",
    "reporting.PersonIncident",
    "reporting.PersonTotal",
    "reporting.LocationTotal",
    "reporting.LocationNpuTotal",
    "reporting.StaleDay",
    "reporting.DetentionFact",
    "reporting.DetentionFigures",
    "reporting.StaleDetention",
    "reporting.DetentionMonth",
    "reporting.DetentionMinutes",
}


def test_every_project_model_has_history():
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in PROJECT_APPS or label in NO_HISTORY:
            continue
        if model.__name__.startswith("Historical"):
            continue
        if model not in registered_models.values() and not hasattr(model, "history"):
            missing.append(label)
    assert missing == [], f"models without history: {missing}"


def test_the_exemptions_are_real_models_or_gone():
    # An exemption for a model that no longer exists must be removed, not kept as a loophole.
    labels = {m._meta.label for m in apps.get_models()}
    stale = {
        label
        for label in NO_HISTORY
        if label not in labels
        and label.split(".")[0] in {m._meta.app_label for m in apps.get_models()}
    }
    assert stale == set()


@pytest.mark.django_db
def test_page_write_is_attributed_to_the_signed_in_user(web, make_user, force):
    admin = make_user("admin", force, Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = sign_in_with_second_factor(web.as_user(admin), admin)
    response = client.post(
        f"/admin/accounts/organisation/{force.pk}/change/",
        {
            "slug": force.slug,
            "name": "Midshire Constabulary",
            "kind": force.kind,
            "active": "on",
            "npus-TOTAL_FORMS": "0",
            "npus-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:500]
    latest = Organisation.history.filter(id=force.pk).latest("history_date")
    assert latest.name == "Midshire Constabulary"
    assert (latest.changed_by, latest.actor_kind, latest.history_user_id) == (
        "admin",
        "user",
        admin.pk,
    )


@pytest.mark.django_db
def test_api_write_is_attributed_to_the_api_key_by_name(api_for, health_trust):
    client = api_for(health_trust, "places:read", "places:write", name="trust-bed-system")
    response = client.post(
        "/api/v1/places-of-safety/",
        {
            "name": "Ashdown s136 suite",
            "kind": "health_based",
            "capacity": 2,
            "accepts_under_18": False,
        },
    )
    assert response.status_code == 201, response.json()
    row = PlaceOfSafety.history.get(id=response.json()["id"])
    assert (row.changed_by, row.actor_kind, row.api_key_id, row.history_user_id) == (
        "trust-bed-system",
        "api_key",
        client.key.pk,
        None,
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_task_write_is_attributed_to_the_system_actor_and_the_user_who_caused_it(
    celery_worker, make_user, force
):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.services import issue_api_key

    admin = make_user("keyadmin", force, Role.ADMINISTRATOR)
    key, _ = issue_api_key(
        force, "old-cad-key", ["incidents:read"], expiry_date=timezone.now() - timedelta(minutes=1)
    )
    with acting_as(user_actor(admin)):
        revoke_expired_api_keys.delay()
    wait_for(
        lambda: ApiKey.objects.get(pk=key.pk).revoked,
        timeout=30,
        message="the worker to revoke the key",
    )
    row = ApiKey.history.filter(id=key.pk).latest("history_date")
    assert row.revoked is True
    assert row.changed_by == "system:accounts.tasks.revoke_expired_api_keys"
    assert (row.actor_kind, row.triggered_by, row.history_change_reason) == (
        "system",
        "keyadmin",
        "expired",
    )
