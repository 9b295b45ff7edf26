"""Who may see alerts: the organisations they are addressed to, and those that can see the
detention or referral an alert is about (`AlertQuerySet.visible_to_organisation`)."""

from core.policy import organisation_visible, register

from .models import Alert

visible_alerts = organisation_visible(lambda: Alert.objects.all())

register("alerts.alert", visible_alerts)
