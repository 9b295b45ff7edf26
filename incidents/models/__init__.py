from .detentions import (
    Assessment,
    Correction,
    Detention,
    DetentionArrival,
    Escape,
    Extension,
    Handover,
    PoliceStationDecision,
    Review,
    Transfer,
    TransferException,
    UnlawfulAct,
    WelfareCheck,
    breach_q,
)
from .incidents import Incident, OfficerDeployment
from .people import Person

__all__ = [
    "Assessment",
    "Correction",
    "Detention",
    "DetentionArrival",
    "Escape",
    "Extension",
    "Handover",
    "Incident",
    "OfficerDeployment",
    "Person",
    "PoliceStationDecision",
    "Review",
    "UnlawfulAct",
    "Transfer",
    "TransferException",
    "WelfareCheck",
    "breach_q",
]
