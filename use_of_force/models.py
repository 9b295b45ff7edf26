"""Force, search and restraint during a detention (domain.md "Force, search and restraint").

Per officer, each tactic used, with when, where, why and injuries (`UseOfForce`, one row per
officer and tactic), and each protective search under s136C (`ProtectiveSearch`). Both CASCADE
from the detention, so they appear in its history. A prone restraint, or a restraint at a
health-based place of safety, is listed for review by the force mental health lead
(`review_required`, decided by `use_of_force.services`, which is the only writer).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import HarbourHistory
from detentions.models import Detention
from places_of_safety.models import PlaceOfSafety


class Tactic(models.TextChoices):
    HANDCUFFS = "handcuffs", _("Handcuffs")
    LIMB_RESTRAINTS = "limb_restraints", _("Limb restraints")
    BODY_RESTRAINTS = "body_restraints", _("Body restraints")
    SPIT_GUARD = "spit_guard", _("Spit and bite guard")
    GROUND_RESTRAINT = "ground_restraint", _("Restraint on the ground (not face down)")
    PRONE_RESTRAINT = "prone_restraint", _("Prone restraint (face down)")
    TASER_DRAWN = "taser_drawn", _("Taser drawn")
    TASER_FIRED = "taser_fired", _("Taser fired")
    OTHER = "other", _("Other")


#: Tactics that restrain the person (a restraint at a health-based place of safety is reviewed).
RESTRAINT_TACTICS = frozenset(
    {
        Tactic.HANDCUFFS,
        Tactic.LIMB_RESTRAINTS,
        Tactic.BODY_RESTRAINTS,
        Tactic.GROUND_RESTRAINT,
        Tactic.PRONE_RESTRAINT,
    }
)


class Where(models.TextChoices):
    STREET = "street", _("Street or other public place")
    VEHICLE = "vehicle", _("Vehicle")
    PLACE_OF_SAFETY = "place_of_safety", _("Place of safety")
    OTHER = "other", _("Somewhere else")


class Reason(models.TextChoices):
    """The reasons on the Home Office use-of-force form."""

    PROTECT_SELF = "protect_self", _("Protect self")
    PROTECT_PUBLIC = "protect_public", _("Protect the public")
    PROTECT_SUBJECT = "protect_subject", _("Protect the person")
    PROTECT_OTHER_OFFICERS = "protect_other_officers", _("Protect other officers")
    PREVENT_HARM = "prevent_harm", _("Prevent harm")
    PREVENT_OFFENCE = "prevent_offence", _("Prevent an offence")
    PREVENT_ESCAPE = "prevent_escape", _("Prevent escape")
    EFFECT_SEARCH = "effect_search", _("Effect a search")
    EFFECT_ARREST = "effect_arrest", _("Effect an arrest or detention")
    METHOD_OF_ENTRY = "method_of_entry", _("Method of entry")
    REMOVE_HANDCUFFS = "remove_handcuffs", _("Remove handcuffs")
    OTHER = "other", _("Other")


class ReviewDecision(models.TextChoices):
    NO_CONCERNS = "no_concerns", _("Reviewed: no concerns")
    LEARNING = "learning_identified", _("Reviewed: learning identified")
    REFERRED = "referred", _("Reviewed: referred to professional standards")


#: What an officer records, in the order the forms ask and the API lists it.
USE_OF_FORCE_INPUT = (
    "officer_name",
    "officer_number",
    "tactic",
    "tactic_detail",
    "used_at",
    "location",
    "place_of_safety",
    "reasons",
    "reason_detail",
    "person_injured",
    "officer_injured",
    "injury_detail",
)
SEARCH_INPUT = (
    "officer_name",
    "officer_number",
    "searched_at",
    "location",
    "place_of_safety",
    "grounds",
    "items_found",
    "found_description",
    "kept_description",
)


class _Record(models.Model):
    officer_name = models.CharField(_("officer"), max_length=200)
    officer_number = models.CharField(
        _("officer's collar or warrant number"), max_length=30, blank=True
    )
    location = models.CharField(_("where"), max_length=20, choices=Where.choices)
    place_of_safety = models.ForeignKey(
        PlaceOfSafety,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place of safety"),
    )
    entered_late = models.BooleanField(
        _("entered after the detention ended"), default=False, editable=False
    )
    recorded_by = models.CharField(_("recorded by"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True


class UseOfForce(_Record):
    """One tactic used by one officer."""

    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="force_used")
    tactic = models.CharField(_("tactic"), max_length=30, choices=Tactic.choices)
    tactic_detail = models.CharField(_("other tactic"), max_length=300, blank=True)
    used_at = models.DateTimeField(_("used at"))
    reasons = ArrayField(
        models.CharField(max_length=30, choices=Reason.choices), verbose_name=_("reasons")
    )
    reason_detail = models.TextField(_("why, in the officer's words"), blank=True)
    person_injured = models.BooleanField(_("the person was injured"))
    officer_injured = models.BooleanField(_("an officer was injured"))
    injury_detail = models.TextField(_("injuries"), blank=True)

    review_required = models.BooleanField(
        _("review by the force mental health lead"), default=False, editable=False
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=200, blank=True)
    review_decision = models.CharField(
        _("review decision"), max_length=30, choices=ReviewDecision.choices, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["used_at", "id"]
        verbose_name = _("use of force")
        verbose_name_plural = _("uses of force")
        indexes = [
            models.Index(
                fields=["detention"],
                name="uof_awaiting_review",
                condition=Q(review_required=True, reviewed_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.get_tactic_display()} ({self.officer_name})"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(Reason.choices)
        return [str(labels.get(r, r)) for r in self.reasons]


class ProtectiveSearch(_Record):
    """A search under s136C: grounds, what was found and what was kept."""

    detention = models.ForeignKey(
        Detention, on_delete=models.CASCADE, related_name="protective_searches"
    )
    searched_at = models.DateTimeField(_("searched at"))
    grounds = models.TextField(_("grounds for the search"))
    items_found = models.BooleanField(_("anything found"))
    found_description = models.TextField(_("what was found"), blank=True)
    kept_description = models.TextField(_("what was kept"), blank=True)

    history = HarbourHistory()

    class Meta:
        ordering = ["searched_at", "id"]
        verbose_name = _("protective search (s136C)")
        verbose_name_plural = _("protective searches (s136C)")

    def __str__(self):
        return f"{self._meta.verbose_name} ({self.officer_name})"
