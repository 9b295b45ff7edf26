from io import StringIO

from demo import partners as demo
from partners.models import Referral


def test_demo_referrals_are_idempotent(force, partner_org, outsider_partner, detention, incident):
    demo.seed(StringIO())
    made = Referral.objects.count()
    assert made == len(demo.PLAN)
    assert set(Referral.objects.values_list("to_organisation__slug", flat=True)) == {
        "midshire-liaison",
        "harbourside-mind",
    }
    assert set(Referral.objects.values_list("status", flat=True)) >= {"sent", "accepted", "closed"}
    demo.seed(StringIO())
    assert Referral.objects.count() == made
