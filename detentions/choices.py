"""Django choices for the detention vocabulary (values from the rule engine and the API
contract; labels are what people read)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Power(models.TextChoices):
    S136 = "s136", _("Section 136 (removal from a public place)")
    S135_1 = "s135_1", _("Section 135(1) warrant")


class Mode(models.TextChoices):
    REMOVED = "removed", _("Removed to a place of safety")
    KEPT = "kept", _("Kept at the place of safety where they already were")


class LocationKind(models.TextChoices):
    PUBLIC_PLACE = "public_place", _("Public place")
    PRIVATE_DWELLING = (
        "private_dwelling",
        _("Private dwelling (house, flat or room where someone lives)"),
    )
    DWELLING_GARDEN_OR_OUTBUILDING = (
        "dwelling_garden_or_outbuilding",
        _("Garden, yard, garage or outbuilding of a dwelling"),
    )
    SHARED_COMMUNAL_AREA = "shared_communal_area", _("Shared communal area")
    HEALTH_SETTING = "health_setting", _("Health setting (for example an emergency department)")
    OTHER = "other", _("Other")


class Profession(models.TextChoices):
    DOCTOR = "doctor", _("Registered medical practitioner")
    NURSE = "nurse", _("Registered nurse")
    AMHP = "amhp", _("AMHP")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    PARAMEDIC = "paramedic", _("Paramedic")


class ConveyanceMode(models.TextChoices):
    AMBULANCE = "ambulance", _("Ambulance")
    POLICE_VEHICLE = "police_vehicle", _("Police vehicle")
    OTHER_HEALTH_VEHICLE = "other_health_vehicle", _("Other health vehicle")
    OTHER = "other", _("Other")
    NONE = "none", _("None (already at the place of safety)")


class PoliceVehicleReason(models.TextChoices):
    AMBULANCE_NOT_AVAILABLE_30MIN = (
        "ambulance_not_available_30min",
        _("Ambulance not available within 30 minutes"),
    )
    AMBULANCE_NOT_REQUESTED = "ambulance_not_requested", _("Ambulance not requested")
    AMBULANCE_DIVERTED = "ambulance_diverted", _("Ambulance diverted")
    CREW_DECLINED = "crew_declined", _("Ambulance crew declined")
    RISK_OF_VIOLENCE = "risk_of_violence", _("Risk of violence")
    ARRESTED_FOR_OFFENCE = "arrested_for_offence", _("Arrested for an offence")
    OTHER = "other", _("Other")


class Rank(models.TextChoices):
    CONSTABLE = "constable", _("Constable")
    SERGEANT = "sergeant", _("Sergeant")
    INSPECTOR = "inspector", _("Inspector")
    CHIEF_INSPECTOR = "chief_inspector", _("Chief inspector")
    SUPERINTENDENT = "superintendent", _("Superintendent")
    CHIEF_SUPERINTENDENT = "chief_superintendent", _("Chief superintendent")
    ASSISTANT_CHIEF_CONSTABLE = "assistant_chief_constable", _("Assistant chief constable")
    DEPUTY_CHIEF_CONSTABLE = "deputy_chief_constable", _("Deputy chief constable")
    CHIEF_CONSTABLE = "chief_constable", _("Chief constable")
    AMHP = "amhp", _("AMHP (arranging a transfer)")


class ExtensionGround(models.TextChoices):
    INTOXICATION = "intoxication", _("Intoxication")
    PHYSICAL_TREATMENT = "physical_treatment", _("Physical treatment needed")
    OTHER_CONDITION = "other_condition", _("Other aspect of the person's condition")
    BED_UNAVAILABLE = "bed_unavailable", _("No bed available (not a lawful ground)")
    STAFF_UNAVAILABLE = "staff_unavailable", _("No AMHP or doctor available (not a lawful ground)")


class Outcome(models.TextChoices):
    ADMITTED_INFORMAL = "admitted_informal", _("Admitted informally")
    DETAINED_S2 = "detained_s2", _("Detained under section 2")
    DETAINED_S3 = "detained_s3", _("Detained under section 3")
    DISCHARGED_NO_FOLLOW_UP = "discharged_no_follow_up", _("Discharged, no follow-up")
    DISCHARGED_WITH_REFERRAL = "discharged_with_referral", _("Discharged with a referral")
    NO_MENTAL_DISORDER = "no_mental_disorder", _("No mental disorder found (released)")
    ARRESTED_FOR_OFFENCE = "arrested_for_offence", _("Arrested for an offence")
    TRANSFERRED_PHYSICAL_CARE = "transferred_physical_care", _("Transferred for physical care")
    ABSCONDED = "absconded", _("Absconded (not retaken)")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    IN_TRANSIT = "in_transit", _("In transit")
    AT_PLACE_OF_SAFETY = "at_place_of_safety", _("At a place of safety")
    ABSENT = "absent", _("Absent (escaped)")
    ENDED = "ended", _("Ended")


class RuleSetId(models.TextChoices):
    PCA2017 = "pca2017", _("MHA 1983 as amended by the Policing and Crime Act 2017")
    MHA1983_ORIGINAL = "mha1983-original", _("MHA 1983 before 11 December 2017")
    MHA2025 = "mha2025", _("MHA 1983 as amended by the Mental Health Act 2025")
