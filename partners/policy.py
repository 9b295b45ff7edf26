"""Who may see referrals: the organisation that sent one and the one it was sent to
(`ReferralQuerySet.visible_to_organisation`); webhooks and keys: the organisation's own."""

from core.policy import organisation_visible, register

from .models import Referral

visible_referrals = organisation_visible(lambda: Referral.objects.all())

register("partners.referral", visible_referrals)
