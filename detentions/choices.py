"""Django choices for the detention vocabulary (values from the rule engine and the API
contract; labels are what people read). A person's age assessment is the people app's."""

from django.db import models
from django.utils.translation import gettext_lazy as _

import law
from core.choices import engine_choices
from people.choices import AgeAssessment  # noqa: F401 (one of the engine's enumerations)

#: The engine's enumerations that have Django choices (see `_engine_choices`).
ENGINE_ENUMS = (
    law.AgeAssessment,
    law.Power,
    law.Mode,
    law.LocationKind,
    law.Profession,
    law.ConveyanceMode,
    law.PoliceVehicleReason,
    law.Rank,
    law.ExtensionGround,
    law.Outcome,
    law.Status,
)


Power = engine_choices(
    law.Power,
    {
        law.Power.S136: _("Section 136 (removal from a public place)"),
        law.Power.S135_1: _("Section 135(1) warrant"),
    },
    __name__,
)


Mode = engine_choices(
    law.Mode,
    {
        law.Mode.REMOVED: _("Removed to a place of safety"),
        law.Mode.KEPT: _("Kept at the place of safety where they already were"),
    },
    __name__,
)


LocationKind = engine_choices(
    law.LocationKind,
    {
        law.LocationKind.PUBLIC_PLACE: _("Public place"),
        law.LocationKind.PRIVATE_DWELLING: _(
            "Private dwelling (house, flat or room where someone lives)"
        ),
        law.LocationKind.DWELLING_GARDEN_OR_OUTBUILDING: _(
            "Garden, yard, garage or outbuilding of a dwelling"
        ),
        law.LocationKind.SHARED_COMMUNAL_AREA: _("Shared communal area"),
        law.LocationKind.HEALTH_SETTING: _("Health setting (for example an emergency department)"),
        law.LocationKind.OTHER: _("Other"),
    },
    __name__,
)


Profession = engine_choices(
    law.Profession,
    {
        law.Profession.DOCTOR: _("Registered medical practitioner"),
        law.Profession.NURSE: _("Registered nurse"),
        law.Profession.AMHP: _("AMHP"),
        law.Profession.OCCUPATIONAL_THERAPIST: _("Occupational therapist"),
        law.Profession.PARAMEDIC: _("Paramedic"),
    },
    __name__,
)


ConveyanceMode = engine_choices(
    law.ConveyanceMode,
    {
        law.ConveyanceMode.AMBULANCE: _("Ambulance"),
        law.ConveyanceMode.POLICE_VEHICLE: _("Police vehicle"),
        law.ConveyanceMode.OTHER_HEALTH_VEHICLE: _("Other health vehicle"),
        law.ConveyanceMode.OTHER: _("Other"),
        law.ConveyanceMode.NONE: _("None (already at the place of safety)"),
    },
    __name__,
)


PoliceVehicleReason = engine_choices(
    law.PoliceVehicleReason,
    {
        law.PoliceVehicleReason.AMBULANCE_NOT_AVAILABLE_30MIN: _(
            "Ambulance not available within 30 minutes"
        ),
        law.PoliceVehicleReason.AMBULANCE_NOT_REQUESTED: _("Ambulance not requested"),
        law.PoliceVehicleReason.AMBULANCE_DIVERTED: _("Ambulance diverted"),
        law.PoliceVehicleReason.CREW_DECLINED: _("Ambulance crew declined"),
        law.PoliceVehicleReason.RISK_OF_VIOLENCE: _("Risk of violence"),
        law.PoliceVehicleReason.ARRESTED_FOR_OFFENCE: _("Arrested for an offence"),
        law.PoliceVehicleReason.OTHER: _("Other"),
    },
    __name__,
)


Rank = engine_choices(
    law.Rank,
    {
        law.Rank.CONSTABLE: _("Constable"),
        law.Rank.SERGEANT: _("Sergeant"),
        law.Rank.INSPECTOR: _("Inspector"),
        law.Rank.CHIEF_INSPECTOR: _("Chief inspector"),
        law.Rank.SUPERINTENDENT: _("Superintendent"),
        law.Rank.CHIEF_SUPERINTENDENT: _("Chief superintendent"),
        law.Rank.ASSISTANT_CHIEF_CONSTABLE: _("Assistant chief constable"),
        law.Rank.DEPUTY_CHIEF_CONSTABLE: _("Deputy chief constable"),
        law.Rank.CHIEF_CONSTABLE: _("Chief constable"),
        law.Rank.AMHP: _("AMHP (arranging a transfer)"),
    },
    __name__,
)


ExtensionGround = engine_choices(
    law.ExtensionGround,
    {
        law.ExtensionGround.INTOXICATION: _("Intoxication"),
        law.ExtensionGround.PHYSICAL_TREATMENT: _("Physical treatment needed"),
        law.ExtensionGround.OTHER_CONDITION: _("Other aspect of the person's condition"),
        law.ExtensionGround.BED_UNAVAILABLE: _("No bed available (not a lawful ground)"),
        law.ExtensionGround.STAFF_UNAVAILABLE: _(
            "No AMHP or doctor available (not a lawful ground)"
        ),
    },
    __name__,
)


Outcome = engine_choices(
    law.Outcome,
    {
        law.Outcome.ADMITTED_INFORMAL: _("Admitted informally"),
        law.Outcome.DETAINED_S2: _("Detained under section 2"),
        law.Outcome.DETAINED_S3: _("Detained under section 3"),
        law.Outcome.DISCHARGED_NO_FOLLOW_UP: _("Discharged, no follow-up"),
        law.Outcome.DISCHARGED_WITH_REFERRAL: _("Discharged with a referral"),
        law.Outcome.NO_MENTAL_DISORDER: _("No mental disorder found (released)"),
        law.Outcome.ARRESTED_FOR_OFFENCE: _("Arrested for an offence"),
        law.Outcome.TRANSFERRED_PHYSICAL_CARE: _("Transferred for physical care"),
        law.Outcome.ABSCONDED: _("Absconded (not retaken)"),
        law.Outcome.OTHER: _("Other"),
    },
    __name__,
)


Status = engine_choices(
    law.Status,
    {
        law.Status.IN_TRANSIT: _("In transit"),
        law.Status.AT_PLACE_OF_SAFETY: _("At a place of safety"),
        law.Status.ABSENT: _("Absent (escaped)"),
        law.Status.ENDED: _("Ended"),
    },
    __name__,
)


class RuleSetId(models.TextChoices):
    PCA2017 = "pca2017", _("MHA 1983 as amended by the Policing and Crime Act 2017")
    MHA1983_ORIGINAL = "mha1983-original", _("MHA 1983 before 11 December 2017")
    MHA2025 = "mha2025", _("MHA 1983 as amended by the Mental Health Act 2025")
