"""The real worker runs `audit.tasks.seal` and the chain verifies."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditSeal
from audit.tasks import seal
from places_of_safety import services as places
from places_of_safety.models import PlaceOfSafety
from tests.conftest import wait_for


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_seals_settled_history_and_the_chain_verifies(celery_worker, health_trust):
    place = places.create_place(
        name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=1
    )
    # Written a minute ago: outside the settle window, so the worker seals it now.
    PlaceOfSafety.history.filter(id=place.pk).update(
        history_date=timezone.now() - dt.timedelta(minutes=1)
    )
    seal.delay()
    wait_for(
        lambda: AuditSeal.objects.filter(
            rows__has_key="places_of_safety_historicalplaceofsafety"
        ).exists(),
        timeout=30,
        message="the worker to seal the place's history",
    )
    sealed = AuditSeal.objects.get(rows__has_key="places_of_safety_historicalplaceofsafety")
    ids = [i for i, _d in sealed.rows["places_of_safety_historicalplaceofsafety"]]
    assert ids == list(
        PlaceOfSafety.history.filter(id=place.pk).values_list("history_id", flat=True)
    )
    call_command("verify_audit")
