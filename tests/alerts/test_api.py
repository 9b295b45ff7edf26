"""`GET /api/v1/alerts/` and `POST /api/v1/alerts/{id}/acknowledge/`: contract fields, filters,
scopes, three personas (owner force, place operator, outsider -> 404) and a fixed query count."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alerts.models import Alert, AlertKind
from alerts.sweep import sweep

from .conftest import detain

pytestmark = pytest.mark.django_db

CONTRACT = {
    "id",
    "kind",
    "detention",
    "referral",
    "threshold_minutes",
    "due_at",
    "raised_at",
    "acknowledged_at",
    "acknowledged_by",
}


@pytest.fixture
def raised(force, suite):
    """A detention at the health trust's suite, 24 h 10 min in: expiry, handover, assessment."""
    now = timezone.now()
    d = detain(force, at=now - timedelta(hours=24, minutes=30), place=suite, now=now)
    sweep(now=now)
    return d


def test_the_force_lists_alerts_about_its_detentions_with_the_contract_fields(
    raised, api_for, force
):
    api = api_for(force, "alerts:read")
    body = api.get("/api/v1/alerts/").json()
    assert body["count"] == Alert.objects.count() > 0
    first = body["results"][0]
    assert set(first) >= CONTRACT
    assert first["detention"] == raised.pk and first["referral"] is None
    assert first["due_at"].endswith("Z") and first["raised_at"].endswith("Z")


def test_filters_detention_kind_and_open(raised, api_for, force):
    api = api_for(force, "alerts:read")
    expired = api.get("/api/v1/alerts/", {"kind": "expired"}).json()
    assert [r["kind"] for r in expired["results"]] == ["expired"]
    assert api.get("/api/v1/alerts/", {"detention": raised.pk + 999}).json()["count"] == 0
    Alert.objects.filter(kind=AlertKind.EXPIRED).update(acknowledged_at=timezone.now())
    open_ = api.get("/api/v1/alerts/", {"open": "true", "detention": raised.pk}).json()
    assert "expired" not in {r["kind"] for r in open_["results"]}
    assert open_["count"] == Alert.objects.count() - 1


def test_the_place_operator_sees_alerts_at_its_places_and_an_outsider_sees_none(
    raised, api_for, health_trust, other_force
):
    assert api_for(health_trust, "alerts:read").get("/api/v1/alerts/").json()["count"] > 0
    outsider = api_for(other_force, "alerts:read", "alerts:write")
    assert outsider.get("/api/v1/alerts/").json()["count"] == 0
    alert = Alert.objects.first()
    assert outsider.get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    response = outsider.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_acknowledge_records_the_key_name_and_the_time(raised, api_for, force):
    api = api_for(force, "alerts:write", name="custody-system")
    alert = Alert.objects.get(kind=AlertKind.EXPIRED)
    when = timezone.now().replace(microsecond=0) + timedelta(seconds=5)
    with time_machine.travel(when, tick=False):
        response = api.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == alert.pk
    assert body["acknowledged_by"] == "custody-system"
    assert body["acknowledged_at"] == when.isoformat().replace("+00:00", "Z")
    alert.refresh_from_db()
    last = alert.history.latest("history_date")
    assert (last.changed_by, last.actor_kind) == ("custody-system", "api_key")
    # Twice: the first acknowledgement stands.
    again = api_for(force, "alerts:write", name="other").post(
        f"/api/v1/alerts/{alert.pk}/acknowledge/"
    )
    assert again.json()["acknowledged_by"] == "custody-system"


def test_a_signed_in_user_acknowledges_as_themselves(raised, api_as, inspector):
    alert = Alert.objects.get(kind=AlertKind.EXPIRED)
    response = api_as(inspector).post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_by"] == "inspector"


def test_scopes(raised, api_for, force):
    alert = Alert.objects.first()
    assert api_for(force, "detentions:read").get("/api/v1/alerts/").status_code == 403
    reader = api_for(force, "alerts:read")
    assert reader.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/alerts/").status_code == 401


def test_the_list_takes_a_fixed_number_of_queries(
    force, suite, station, api_for, django_assert_num_queries
):
    api = api_for(force, "alerts:read")
    now = timezone.now()
    detain(force, at=now - timedelta(hours=24, minutes=30), place=suite, now=now)
    sweep(now=now)
    api.get("/api/v1/alerts/")  # warm the key's caches
    with django_assert_num_queries(4) as few:
        api.get("/api/v1/alerts/")
    for _ in range(4):
        detain(force, at=now - timedelta(hours=24, minutes=30), place=station, now=now)
    sweep(now=now)
    with django_assert_num_queries(len(few.captured_queries)):
        body = api.get("/api/v1/alerts/").json()
    assert body["count"] > 10
