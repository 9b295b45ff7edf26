"""Enumerations and error codes used by the rule engine.

All enumerations are ``StrEnum`` so that members compare equal to the plain strings the
API and the database use (``Power.S136 == "s136"``). The engine accepts plain strings
everywhere.
"""

from enum import StrEnum


class Power(StrEnum):
    S136 = "s136"
    S135_1 = "s135_1"


class Mode(StrEnum):
    REMOVED = "removed"
    KEPT = "kept"


class LocationKind(StrEnum):
    PUBLIC_PLACE = "public_place"
    PRIVATE_DWELLING = "private_dwelling"
    DWELLING_GARDEN_OR_OUTBUILDING = "dwelling_garden_or_outbuilding"
    SHARED_COMMUNAL_AREA = "shared_communal_area"
    HEALTH_SETTING = "health_setting"
    OTHER = "other"


class PlaceKind(StrEnum):
    HEALTH_BASED = "health_based"
    EMERGENCY_DEPARTMENT = "emergency_department"
    POLICE_STATION = "police_station"
    OTHER = "other"


#: Places where police hand over to health staff (rule A4).
HEALTH_BASED_KINDS = frozenset({PlaceKind.HEALTH_BASED, PlaceKind.EMERGENCY_DEPARTMENT})


class Profession(StrEnum):
    DOCTOR = "doctor"
    NURSE = "nurse"
    AMHP = "amhp"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"
    PARAMEDIC = "paramedic"


class Rank(StrEnum):
    CONSTABLE = "constable"
    SERGEANT = "sergeant"
    INSPECTOR = "inspector"
    CHIEF_INSPECTOR = "chief_inspector"
    SUPERINTENDENT = "superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent"
    ASSISTANT_CHIEF_CONSTABLE = "assistant_chief_constable"
    DEPUTY_CHIEF_CONSTABLE = "deputy_chief_constable"
    CHIEF_CONSTABLE = "chief_constable"
    #: Not a police rank: an AMHP may be the decision-maker arranging a transfer.
    AMHP = "amhp"


#: Police ranks from lowest to highest (``amhp`` is not a police rank).
POLICE_RANKS: tuple[str, ...] = (
    Rank.CONSTABLE,
    Rank.SERGEANT,
    Rank.INSPECTOR,
    Rank.CHIEF_INSPECTOR,
    Rank.SUPERINTENDENT,
    Rank.CHIEF_SUPERINTENDENT,
    Rank.ASSISTANT_CHIEF_CONSTABLE,
    Rank.DEPUTY_CHIEF_CONSTABLE,
    Rank.CHIEF_CONSTABLE,
)


def rank_at_least(rank: str | None, minimum: str) -> bool:
    """True when ``rank`` is a police rank at or above ``minimum``."""
    if rank not in POLICE_RANKS:
        return False
    return POLICE_RANKS.index(rank) >= POLICE_RANKS.index(minimum)


class AgeAssessment(StrEnum):
    ADULT = "adult"
    APPEARS_UNDER_18 = "appears_under_18"


class ExtensionGround(StrEnum):
    INTOXICATION = "intoxication"
    PHYSICAL_TREATMENT = "physical_treatment"
    OTHER_CONDITION = "other_condition"
    BED_UNAVAILABLE = "bed_unavailable"
    STAFF_UNAVAILABLE = "staff_unavailable"


class ConveyanceMode(StrEnum):
    AMBULANCE = "ambulance"
    POLICE_VEHICLE = "police_vehicle"
    OTHER_HEALTH_VEHICLE = "other_health_vehicle"
    OTHER = "other"
    NONE = "none"


class PoliceVehicleReason(StrEnum):
    AMBULANCE_NOT_AVAILABLE_30MIN = "ambulance_not_available_30min"
    AMBULANCE_NOT_REQUESTED = "ambulance_not_requested"
    AMBULANCE_DIVERTED = "ambulance_diverted"
    CREW_DECLINED = "crew_declined"
    RISK_OF_VIOLENCE = "risk_of_violence"
    ARRESTED_FOR_OFFENCE = "arrested_for_offence"
    OTHER = "other"


class Outcome(StrEnum):
    ADMITTED_INFORMAL = "admitted_informal"
    DETAINED_S2 = "detained_s2"
    DETAINED_S3 = "detained_s3"
    DISCHARGED_NO_FOLLOW_UP = "discharged_no_follow_up"
    DISCHARGED_WITH_REFERRAL = "discharged_with_referral"
    NO_MENTAL_DISORDER = "no_mental_disorder"
    ARRESTED_FOR_OFFENCE = "arrested_for_offence"
    TRANSFERRED_PHYSICAL_CARE = "transferred_physical_care"
    ABSCONDED = "absconded"
    OTHER = "other"


class Status(StrEnum):
    IN_TRANSIT = "in_transit"
    AT_PLACE_OF_SAFETY = "at_place_of_safety"
    ABSENT = "absent"
    ENDED = "ended"


class Code(StrEnum):
    """Machine-readable refusal codes returned by the API."""

    # Codes fixed by s136-rules.md.
    DETENTION_ACTIVE = "detention_active"
    TIME_ORDER = "time_order"
    DETENTION_ENDED = "detention_ended"
    PRIVATE_DWELLING = "private_dwelling"
    CONSULTATION_REQUIRED = "consultation_required"
    CONVEYANCE_REASON_REQUIRED = "conveyance_reason_required"
    CHILD_POLICE_STATION = "child_police_station"
    POLICE_STATION_CONDITIONS = "police_station_conditions"
    INSPECTOR_AUTHORISATION_REQUIRED = "inspector_authorisation_required"
    EXTENSION_NOT_PERMITTED = "extension_not_permitted"
    EXTENSION_TOO_LATE = "extension_too_late"
    EXTENSION_TOO_LONG = "extension_too_long"
    EXTENSION_EXISTS = "extension_exists"
    EXTENSION_GROUND_INVALID = "extension_ground_invalid"
    SUPERINTENDENT_APPROVAL_REQUIRED = "superintendent_approval_required"
    POLICE_STATION_NOT_PLACE_OF_SAFETY = "police_station_not_place_of_safety"
    # Codes chosen by the engine where the specification is silent.
    RETAKE_PERIOD_EXPIRED = "retake_period_expired"
    ARRIVAL_EXISTS = "arrival_exists"
    ALREADY_ABSENT = "already_absent"
    NOT_ABSENT = "not_absent"
    NOT_FOUND = "not_found"
    DETENTION_NOT_ENDED = "detention_not_ended"
    # DRF's own codes, used for the few field checks the engine makes itself.
    INVALID = "invalid"
    REQUIRED = "required"
    INVALID_CHOICE = "invalid_choice"


#: R1: refusals of acts that break the law but may have happened: refused by default,
#: recorded (flagged, alerted, reported) when the user confirms they happened.
RECORDABLE_CODES = frozenset(
    {
        Code.CHILD_POLICE_STATION,
        Code.POLICE_STATION_CONDITIONS,
        Code.INSPECTOR_AUTHORISATION_REQUIRED,
        Code.CONSULTATION_REQUIRED,
        Code.PRIVATE_DWELLING,
        Code.CONVEYANCE_REASON_REQUIRED,
        Code.EXTENSION_NOT_PERMITTED,
        Code.EXTENSION_TOO_LATE,
        Code.EXTENSION_TOO_LONG,
        Code.EXTENSION_GROUND_INVALID,
        Code.SUPERINTENDENT_APPROVAL_REQUIRED,
        Code.POLICE_STATION_NOT_PLACE_OF_SAFETY,
        Code.RETAKE_PERIOD_EXPIRED,
    }
)

#: Codes that mean "state conflict" (HTTP 409) rather than a validation error (400).
CONFLICT_CODES = frozenset({Code.DETENTION_ENDED})
