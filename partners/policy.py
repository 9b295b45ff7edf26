"""Who may see referrals and webhooks.

Referrals: the organisation that sent one and the one it was sent to
(`ReferralQuerySet.visible_to_organisation`). Webhook subscriptions and their deliveries: the
organisation that registered them."""

from core.policy import Principal, organisation_visible, register

from .models import Referral, WebhookDelivery, WebhookSubscription

visible_referrals = organisation_visible(lambda: Referral.objects.all())


def referrals_of_organisation(organisation_id):
    """What an organisation sees (webhooks ask it for each subscribed organisation)."""
    if organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.visible_to_organisation(organisation_id)


def visible_webhooks(actor: Principal):
    if not actor.is_authenticated or actor.organisation_id is None:
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.filter(organisation_id=actor.organisation_id)


def visible_webhook_deliveries(actor: Principal):
    return WebhookDelivery.objects.filter(subscription__in=visible_webhooks(actor).values("pk"))


register("partners.referral", visible_referrals)
register("partners.webhooksubscription", visible_webhooks)
register("partners.webhookdelivery", visible_webhook_deliveries)


def referral_people(organisation_id):
    """The people of the referrals an organisation sent or received (ids): those it may write a
    response plan about (installed into people.policy.people_for_plans)."""
    return Referral.objects.visible_to_organisation(organisation_id).values("person_id")
