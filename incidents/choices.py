"""Django choices for incidents and the Right Care Right Person decision."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
