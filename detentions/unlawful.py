"""R1: the review of an unlawful act recorded as it happened (the force mental health lead)."""

from django.db import transaction
from django.utils import timezone

from core.actor import current_actor
from detentions.models import UnlawfulAct


@transaction.atomic
def review(act: UnlawfulAct, *, note: str = "", now=None) -> UnlawfulAct:
    """Records the "reviewed" decision with a note; history keeps who and when."""
    act = UnlawfulAct.objects.select_for_update().get(pk=act.pk)
    actor = current_actor()
    act.review_decision = UnlawfulAct.Decision.REVIEWED
    act.review_note = (note or "").strip()
    act.reviewed_by = actor.label if actor else ""
    act.reviewed_at = now or timezone.now()
    act._change_reason = "reviewed"
    act.save()
    return act
