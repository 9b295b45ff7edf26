"""Each rule named in plain words (R1: the confirmation step names the rule an act breaks)."""

RULE_TITLES: dict[str, str] = {
    "R1": "Record what happened",
    "R2": "Late entries",
    "RS1": "Which rules apply",
    "RS2": "The rules before 11 December 2017",
    "RS3": "Other jurisdictions",
    "RS4": "Under the Mental Health Act 2025 a police station is not a place of safety",
    "C1": "When the clock starts",
    "C2": "The 24-hour permitted period",
    "C3": "One detention at a time; transfers never restart the clock",
    "C4": "Times in order",
    "C5": "In transit before the clock starts",
    "C6": "Breach of the permitted period",
    "C7": "Nothing is added after the end",
    "C8": "Breach is derived from the record",
    "P1": "Section 136 may not be used in a private dwelling",
    "P2": "Consult a health professional before detaining",
    "P3": "A police vehicle needs a reason",
    "PS1": "A person under 18 may never be held at a police station",
    "PS2": "A police station only when all three conditions are met, after consultation",
    "PS3": "An inspector or above authorises a police station",
    "PS4": "Welfare checks every 30 minutes at a police station",
    "PS5": "Custody officer reviews every hour",
    "PS6": "Transfer when the conditions are no longer met",
    "E1": "Only the examining doctor may extend",
    "E2": "An extension before the 24 hours expire",
    "E3": "An extension of at most 12 hours, once",
    "E4": "An extension only for the person's condition",
    "E5": "A superintendent approves first at a police station",
    "E6": "No extension before 11 December 2017",
    "A1": "The assessment",
    "A2": "Assessment within 3 hours",
    "A3": "No mental disorder: released",
    "A4": "Handover to health staff",
    "X1": "Retaking after an escape, only within its window",
}


def rule_title(rule: str) -> str:
    return RULE_TITLES.get(rule, rule)
