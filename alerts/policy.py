"""Who may see alerts: the organisations they are addressed to, and those that can see the
detention or referral an alert is about (`AlertQuerySet.visible_to_organisation`)."""

from accounts.principal import resolve
from core.policy import organisation_visible, register

from .models import Alert

visible_alerts = organisation_visible(lambda: Alert.objects.all())


def alerts_of_organisation(organisation_id):
    """What an organisation sees (webhooks ask it for each subscribed organisation)."""
    if organisation_id is None:
        return Alert.objects.none()
    return Alert.objects.visible_to_organisation(organisation_id)


def inbox_alerts(user):
    """The alerts a user's inbox lists: the inbox and the header's open count ask this one
    query, so the count in the header is the number of open alerts in the inbox."""
    return visible_alerts(resolve(user))


register("alerts.alert", visible_alerts)
