"""Django choices for the incident and detention vocabulary (values from the rule engine and
the API contract; labels are what people read)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class AgeAssessment(models.TextChoices):
    ADULT = "adult", _("Appears to be 18 or over")
    APPEARS_UNDER_18 = "appears_under_18", _("Appears to be under 18")


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
