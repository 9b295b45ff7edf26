"""Django choices for the incident and detention vocabulary (values from the rule engine and
the API contract; labels are what people read)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import law


def _engine_choices(enum, labels: dict) -> type[models.TextChoices]:
    """Django choices for one of the engine's enumerations: the members (names, values and
    order) are the engine's, the labels are ours. Every value needs a label and every label
    a value."""
    missing = [m.value for m in enum if m not in labels]
    unknown = [k for k in labels if k not in enum.__members__.values()]
    if missing or unknown:
        raise ValueError(f"{enum.__name__} labels: missing {missing}, unknown {unknown}")
    return models.TextChoices(
        enum.__name__,
        [(m.name, (m.value, labels[m])) for m in enum],
        module=__name__,
        qualname=enum.__name__,
    )


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


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    NOT_KNOWN = "not_known", _("Not known")


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


AgeAssessment = _engine_choices(
    law.AgeAssessment,
    {
        law.AgeAssessment.ADULT: _("Appears to be 18 or over"),
        law.AgeAssessment.APPEARS_UNDER_18: _("Appears to be under 18"),
    },
)


Power = _engine_choices(
    law.Power,
    {
        law.Power.S136: _("Section 136 (removal from a public place)"),
        law.Power.S135_1: _("Section 135(1) warrant"),
    },
)


Mode = _engine_choices(
    law.Mode,
    {
        law.Mode.REMOVED: _("Removed to a place of safety"),
        law.Mode.KEPT: _("Kept at the place of safety where they already were"),
    },
)


LocationKind = _engine_choices(
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
)


Profession = _engine_choices(
    law.Profession,
    {
        law.Profession.DOCTOR: _("Registered medical practitioner"),
        law.Profession.NURSE: _("Registered nurse"),
        law.Profession.AMHP: _("AMHP"),
        law.Profession.OCCUPATIONAL_THERAPIST: _("Occupational therapist"),
        law.Profession.PARAMEDIC: _("Paramedic"),
    },
)


ConveyanceMode = _engine_choices(
    law.ConveyanceMode,
    {
        law.ConveyanceMode.AMBULANCE: _("Ambulance"),
        law.ConveyanceMode.POLICE_VEHICLE: _("Police vehicle"),
        law.ConveyanceMode.OTHER_HEALTH_VEHICLE: _("Other health vehicle"),
        law.ConveyanceMode.OTHER: _("Other"),
        law.ConveyanceMode.NONE: _("None (already at the place of safety)"),
    },
)


PoliceVehicleReason = _engine_choices(
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
)


Rank = _engine_choices(
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
)


ExtensionGround = _engine_choices(
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
)


Outcome = _engine_choices(
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
)


Status = _engine_choices(
    law.Status,
    {
        law.Status.IN_TRANSIT: _("In transit"),
        law.Status.AT_PLACE_OF_SAFETY: _("At a place of safety"),
        law.Status.ABSENT: _("Absent (escaped)"),
        law.Status.ENDED: _("Ended"),
    },
)


class RuleSetId(models.TextChoices):
    PCA2017 = "pca2017", _("MHA 1983 as amended by the Policing and Crime Act 2017")
    MHA1983_ORIGINAL = "mha1983-original", _("MHA 1983 before 11 December 2017")
    MHA2025 = "mha2025", _("MHA 1983 as amended by the Mental Health Act 2025")


class IncidentCategory(models.TextChoices):
    CRISIS_OR_WELFARE_CHECK = "crisis_or_welfare_check", _("Crisis or welfare check")
    SECTION_136 = "section_136", _("Section 136")
    MENTAL_CAPACITY_ACT = "mental_capacity_act", _("Mental Capacity Act")
    CONVEYANCE = "conveyance", _("Conveyance")
    MHA_ASSESSMENT_SUPPORT = (
        "mha_assessment_support",
        _("MHA assessment support (including s135 warrants)"),
    )
    INPATIENT_UNIT_ATTENDANCE = "inpatient_unit_attendance", _("Inpatient unit attendance")
    OFFENCE_INVESTIGATION = "offence_investigation", _("Offence investigation")
    AWOL_PATIENT = "awol_patient", _("AWOL patient")
    MISSING_PERSON = "missing_person", _("Missing person")
    NO_BED_AVAILABLE = "no_bed_available", _("No bed available")
    OTHER = "other", _("Other")


class RcrpThreshold(models.TextChoices):
    CRIME = "crime", _("Attend: to investigate a crime")
    RISK_TO_LIFE = "risk_to_life", _("Attend: real and immediate risk to life")
    SERIOUS_HARM = "serious_harm", _("Attend: real and immediate risk of serious harm")
    NONE = "none", _("Threshold not met: passed to the right agency")


class RcrpAgency(models.TextChoices):
    """Right Care Right Person: where a call the police do not attend is passed."""

    AMBULANCE_SERVICE = "ambulance_service", _("Ambulance service")
    NHS_MENTAL_HEALTH_CRISIS = "nhs_mental_health_crisis", _("NHS mental health crisis service")
    NHS_111 = "nhs_111", _("NHS 111 (mental health option)")
    INPATIENT_UNIT = "inpatient_unit", _("Inpatient unit or ward staff")
    EMERGENCY_DEPARTMENT = "emergency_department", _("Emergency department staff")
    GP = "gp", _("GP or primary care")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
    CARE_PROVIDER = "care_provider", _("Care or supported housing provider")
    SUBSTANCE_MISUSE = "substance_misuse", _("Drug and alcohol service")
    VOLUNTARY_SECTOR = "voluntary_sector", _("Voluntary sector")
    OTHER = "other", _("Other agency")


class IncidentOutcome(models.TextChoices):
    ADVICE_GIVEN = "advice_given", _("Advice or reassurance given")
    RESOLVED_AT_SCENE = "resolved_at_scene", _("Resolved at the scene")
    HANDED_TO_HEALTH = "handed_to_health", _("Handed over to health or care staff")
    CONVEYED_VOLUNTARILY = "conveyed_voluntarily", _("Taken to health care voluntarily")
    REFERRED_TO_PARTNER = "referred_to_partner", _("Referred to a partner service")
    DETAINED_S136 = "detained_s136", _("Detained under section 136")
    S135_WARRANT_EXECUTED = "s135_warrant_executed", _("Section 135 warrant executed")
    ARRESTED = "arrested", _("Arrested for an offence")
    PERSON_FOUND = "person_found", _("Missing or AWOL person found")
    PASSED_TO_OTHER_AGENCY = "passed_to_other_agency", _("Not attended: passed to another agency")
    NO_FURTHER_ACTION = "no_further_action", _("No further police action")
    OTHER = "other", _("Other")
