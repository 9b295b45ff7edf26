"""The webhooks' figures for `/metrics` (registered with core.metrics from PartnersConfig.ready)."""

from prometheus_client.core import GaugeMetricFamily

from .models import DeliveryStatus, WebhookDelivery


def collect():
    yield GaugeMetricFamily(
        "harbour_webhook_deliveries_given_up",
        "Webhook deliveries that failed every attempt.",
        value=float(WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).count()),
    )
