"""/metrics reports the alerts the sweep raised, by kind (each alert counted once, however many
workers swept), and how long sweeps take."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from prometheus_client.parser import text_string_to_metric_families

from alerts import tasks
from alerts.models import Alert
from core import health, metrics

from .conftest import detain

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
TOKEN = "metrics-token-for-the-tests-0123456789"


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


@pytest.fixture
def token(settings):
    settings.HARBOUR_OPS = {**settings.HARBOUR_OPS, "METRICS_TOKEN": TOKEN}
    health.redis_client().delete(metrics.COUNTERS_KEY)


def test_alerts_raised_by_kind_and_the_sweep_duration(client, token, force, station):
    with time_machine.travel(T0 + timedelta(minutes=21), tick=False):
        detain(force, at=T0, place=station)
    before = scrape(client)
    assert before[("harbour_alerts_raised_total", (("kind", "expired"),))] == 0
    assert before[("harbour_alerts_sweep_duration_seconds_count", ())] == 0

    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        tasks.sweep()  # as beat's trigger runs it, the duration recorded
        tasks.sweep()  # again: nothing new is raised
    after = scrape(client)
    raised = {
        dict(labels)["kind"]: value
        for (name, labels), value in after.items()
        if name == "harbour_alerts_raised_total"
    }
    by_kind = {}
    for kind in Alert.objects.values_list("kind", flat=True):
        by_kind[kind] = by_kind.get(kind, 0) + 1
    assert by_kind["expired"] == 1
    assert {k: v for k, v in raised.items() if v} == by_kind
    assert after[("harbour_alerts_sweep_duration_seconds_count", ())] == 2
    assert after[("harbour_alerts_sweep_duration_seconds_sum", ())] > 0
    # (recorded at the travelled-to time: its value is /healthz's sweep age, tested there)
    assert ("harbour_alerts_sweep_lag_seconds", ()) in after
