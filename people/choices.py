"""Django choices for a person's record (values from the rule engine and the API contract;
labels are what people read)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

import law
from core.choices import engine_choices


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    NOT_KNOWN = "not_known", _("Not known")


class PreferredLanguage(models.TextChoices):
    """The language the person prefers to be spoken to in (NHS Wales s135/s136 data items; the
    Welsh Language Standards). Blank: not recorded."""

    WELSH = "cy", _("Welsh")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Another language")


class Ethnicity(models.TextChoices):
    W1 = "W1", _("W1 White: English, Welsh, Scottish, Northern Irish or British")
    W2 = "W2", _("W2 White: Irish")
    W3 = "W3", _("W3 White: Gypsy or Irish Traveller")
    W9 = "W9", _("W9 Any other White background")
    M1 = "M1", _("M1 Mixed: White and Black Caribbean")
    M2 = "M2", _("M2 Mixed: White and Black African")
    M3 = "M3", _("M3 Mixed: White and Asian")
    M9 = "M9", _("M9 Any other Mixed background")
    A1 = "A1", _("A1 Asian: Indian")
    A2 = "A2", _("A2 Asian: Pakistani")
    A3 = "A3", _("A3 Asian: Bangladeshi")
    A4 = "A4", _("A4 Asian: Chinese")
    A9 = "A9", _("A9 Any other Asian background")
    B1 = "B1", _("B1 Black: Caribbean")
    B2 = "B2", _("B2 Black: African")
    B9 = "B9", _("B9 Any other Black background")
    O2 = "O2", _("O2 Other: Arab")
    O9 = "O9", _("O9 Any other ethnic group")
    NS = "NS", _("NS Not stated")


ETHNICITY_GROUPS = {
    "W": "white",
    "M": "mixed",
    "A": "asian",
    "B": "black",
    "O": "other",
    "N": "not_stated",
}


def ethnicity_group(code: str | None) -> str:
    return ETHNICITY_GROUPS.get((code or "N")[0], "not_stated")


AgeAssessment = engine_choices(
    law.AgeAssessment,
    {
        law.AgeAssessment.ADULT: _("Appears to be 18 or over"),
        law.AgeAssessment.APPEARS_UNDER_18: _("Appears to be under 18"),
    },
    __name__,
)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending_approval", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MarkerKind(models.TextChoices):
    RISK_TO_STAFF = "risk_to_staff", _("Risk to staff")
    RISK_TO_SELF = "risk_to_self", _("Risk to self")
    RISK_TO_OTHERS = "risk_to_others", _("Risk to others")
    COMMUNICATION_NEED = "communication_need", _("Communication need")
    MEDICAL_CONDITION = "medical_condition", _("Medical condition")
    WEAPONS = "weapons", _("Weapons")
