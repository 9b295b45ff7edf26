"""The alerts' figures for `/metrics` (registered with core.metrics from AlertsConfig.ready)."""

from django.db.models import Count
from prometheus_client.core import CounterMetricFamily

from .models import Alert, AlertKind


def collect():
    raised = CounterMetricFamily(
        "harbour_alerts_raised", "Alerts raised, by kind.", labels=["kind"]
    )
    by_kind = dict.fromkeys(AlertKind.values, 0)
    for row in Alert.objects.order_by().values("kind").annotate(n=Count("id")):
        by_kind[row["kind"]] = row["n"]
    for kind, n in sorted(by_kind.items()):
        raised.add_metric([kind], float(n))
    yield raised
