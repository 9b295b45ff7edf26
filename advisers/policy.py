"""Who may see the tactical adviser roster: the force whose roster it is."""

from core.policy import organisation_visible, register

from .models import AdviceRecord, RosterShift

visible_shifts = organisation_visible(lambda: RosterShift.objects.all())

register("advisers.rostershift", visible_shifts)

visible_advice = organisation_visible(lambda: AdviceRecord.objects.all())

register("advisers.advicerecord", visible_advice)
