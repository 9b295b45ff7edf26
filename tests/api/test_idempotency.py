"""Idempotency-Key on POSTs under /api/v1/ (core.idempotency)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from core.models import IdempotencyRecord
from detentions.models import Detention, WelfareCheck

from . import helpers as h
from .helpers import NOW, T0, iso

at_now = time_machine.travel(NOW, tick=False)
ARRIVED = T0 + timedelta(minutes=30)


def body(who):
    return {
        "person": who.pk,
        "power": "s136",
        "detained_at": iso(T0),
        "location_kind": "public_place",
        "consultation_not_practicable_reason": "No time",
    }


@pytest.mark.django_db
@at_now
def test_a_repeat_returns_the_first_response_and_changes_nothing(force, force_api):
    who = h.person(force)
    first = force_api.post(
        "/api/v1/detentions/", body(who), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201
    history = Detention.history.count()
    again = force_api.post(
        "/api/v1/detentions/", body(who), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Detention.objects.count() == 1
    assert Detention.history.count() == history
    # Same JSON, keys in another order: still the same request.
    reordered = dict(reversed(list(body(who).items())))
    assert (
        force_api.post(
            "/api/v1/detentions/", reordered, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        ).status_code
        == 201
    )
    assert Detention.objects.count() == 1


@pytest.mark.django_db
@at_now
def test_the_same_key_with_another_body_is_refused(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    url = h.url(d, "welfare-checks")
    check = {"checked_at": iso(ARRIVED + timedelta(minutes=10)), "professional_name": "N"}
    assert force_api.post(url, check, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    r = force_api.post(
        url, {**check, "professional_name": "M"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "idempotency_key_reused"
    r = force_api.post(h.url(d, "reviews"), check, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert r.status_code == 422  # another path
    assert WelfareCheck.objects.count() == 1


@pytest.mark.django_db
@at_now
def test_keys_belong_to_their_caller(force, force_api, api_for, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    url = h.url(d, "welfare-checks")
    check = {"checked_at": iso(ARRIVED + timedelta(minutes=10)), "professional_name": "N"}
    other_key = api_for(force, "detentions:write", name="second-system")
    assert force_api.post(url, check, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert other_key.post(url, check, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert WelfareCheck.objects.count() == 2
    assert IdempotencyRecord.objects.filter(key="same").count() == 2


@pytest.mark.django_db
@at_now
def test_a_refused_request_is_not_remembered(force, force_api, suite):
    d = h.detention(force, arrive_at=(suite, ARRIVED))
    url = h.url(d, "welfare-checks")
    check = {"checked_at": iso(NOW + timedelta(hours=1)), "professional_name": "N"}
    r = force_api.post(url, check, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert r.status_code == 400
    assert IdempotencyRecord.objects.count() == 0
    check["checked_at"] = iso(NOW)
    assert force_api.post(url, check, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 201


@pytest.mark.django_db
def test_an_overlong_key_is_refused(force, force_api):
    r = force_api.post("/api/v1/detentions/", {}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert r.status_code == 400


@pytest.mark.django_db
def test_unauthenticated_requests_pass_through_to_401(db):
    r = APIClient().post("/api/v1/detentions/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert r.status_code == 401
    assert IdempotencyRecord.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_create_one_detention(force, api_for):
    with time_machine.travel(NOW, tick=False):
        who = h.person(force)
        client = api_for(force, "detentions:write", "detentions:read")
        results = []
        barrier = threading.Barrier(2)

        def post():
            try:
                barrier.wait()
                r = client.post(
                    "/api/v1/detentions/", body(who), format="json", HTTP_IDEMPOTENCY_KEY="race"
                )
                results.append((r.status_code, r.content))
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert [status for status, _ in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert Detention.objects.count() == 1
