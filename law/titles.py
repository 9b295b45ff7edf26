"""Each rule named in plain words (R1: the confirmation step names the rule an act breaks).

The texts are English message ids: `law` imports no Django, so they are only marked here
(`gettext_noop`, for makemessages) and translated where they are shown (`core.law_text`)."""

from .text import gettext_noop

RULE_TITLES: dict[str, str] = {
    "R1": gettext_noop("Record what happened"),
    "R2": gettext_noop("Late entries"),
    "RS1": gettext_noop("Which rules apply"),
    "RS2": gettext_noop("The rules before 11 December 2017"),
    "RS3": gettext_noop("Other jurisdictions"),
    "RS4": gettext_noop(
        "Under the Mental Health Act 2025 a police station is not a place of safety"
    ),
    "C1": gettext_noop("When the clock starts"),
    "C2": gettext_noop("The 24-hour permitted period"),
    "C3": gettext_noop("One detention at a time; transfers never restart the clock"),
    "C4": gettext_noop("Times in order"),
    "C5": gettext_noop("In transit before the clock starts"),
    "C6": gettext_noop("Breach of the permitted period"),
    "C7": gettext_noop("Nothing is added after the end"),
    "C8": gettext_noop("Breach is derived from the record"),
    "P1": gettext_noop("Section 136 may not be used in a private dwelling"),
    "P2": gettext_noop("Consult a health professional before detaining"),
    "P3": gettext_noop("A police vehicle needs a reason"),
    "PS1": gettext_noop("A person under 18 may never be held at a police station"),
    "PS2": gettext_noop(
        "A police station only when all three conditions are met, after consultation"
    ),
    "PS3": gettext_noop("An inspector or above authorises a police station"),
    "PS4": gettext_noop("Welfare checks every 30 minutes at a police station"),
    "PS5": gettext_noop("Custody officer reviews every hour"),
    "PS6": gettext_noop("Transfer when the conditions are no longer met"),
    "E1": gettext_noop("Only the examining doctor may extend"),
    "E2": gettext_noop("An extension before the 24 hours expire"),
    "E3": gettext_noop("An extension of at most 12 hours, once"),
    "E4": gettext_noop("An extension only for the person's condition"),
    "E5": gettext_noop("A superintendent approves first at a police station"),
    "E6": gettext_noop("No extension before 11 December 2017"),
    "A1": gettext_noop("The assessment"),
    "A2": gettext_noop("Assessment within 3 hours"),
    "A3": gettext_noop("No mental disorder: released"),
    "A4": gettext_noop("Handover to health staff"),
    "X1": gettext_noop("Retaking after an escape, only within its window"),
}


def rule_title(rule: str) -> str:
    return RULE_TITLES.get(rule, rule)


#: Each rule's law in plain words: shown behind a "Why?" disclosure where a rule is applied.
RULE_EXPLANATIONS: dict[str, str] = {
    "R1": gettext_noop(
        "A record must say what really happened, even when it broke the law: it is then "
        "flagged, reviewed and counted, never hidden."
    ),
    "R2": gettext_noop(
        "Something recorded after the detention ended is kept with the reason it was late."
    ),
    "C1": gettext_noop(
        "The 24 hours start when the person arrives at the first place of safety, or when "
        "they are detained if they were kept where they already were."
    ),
    "C2": gettext_noop(
        "Sections 135 and 136 of the Mental Health Act 1983 allow a person to be detained "
        "for up to 24 hours, so that they can be assessed."
    ),
    "C3": gettext_noop(
        "A person can be under only one detention at a time. Moving them to another place of "
        "safety does not restart the 24 hours."
    ),
    "C4": gettext_noop("Events must be recorded in the order they happened."),
    "C6": gettext_noop(
        "Keeping a person after the 24 hours (and any extension) have ended is detention "
        "without lawful authority."
    ),
    "C7": gettext_noop("Once a detention has ended, nothing more can happen under it."),
    "P1": gettext_noop(
        "Section 136 of the Mental Health Act 1983 cannot be used in a house, flat or room "
        "where a person lives, or in its garden or outbuildings: section 135 (a warrant) is "
        "needed there."
    ),
    "P2": gettext_noop(
        "Section 136(1C) of the Mental Health Act 1983: before detaining, the officer must "
        "consult a doctor, nurse, approved mental health professional, occupational therapist or "
        "paramedic, if it is practicable."
    ),
    "P3": gettext_noop(
        "The Mental Health Act Code of Practice: a person should be taken to a place of safety "
        "by ambulance. A police vehicle is used only when it must be, and why is recorded."
    ),
    "PS1": gettext_noop(
        "Section 136A of the Mental Health Act 1983: a police station may never be used as a "
        "place of safety for a person under 18."
    ),
    "PS2": gettext_noop(
        "Under the Mental Health Act 1983 (Places of Safety) Regulations 2017, "
        "an adult may be taken to a police station only if their behaviour "
        "poses an imminent risk of serious injury or death, no other place of safety can reasonably "
        "detain them, and a healthcare professional will be present and available."
    ),
    "PS3": gettext_noop(
        "Under the Mental Health Act 1983 (Places of Safety) Regulations 2017, "
        "using a police station must be authorised by an officer of the rank "
        "of inspector or above when the decision is made by an officer below that rank."
    ),
    "PS4": gettext_noop(
        "Under the Mental Health Act 1983 (Places of Safety) Regulations 2017, "
        "while a person is held at a police station a healthcare professional "
        "must check on their welfare at least every 30 minutes."
    ),
    "PS5": gettext_noop(
        "Under the Mental Health Act 1983 (Places of Safety) Regulations 2017, "
        "the custody officer must review at least every hour whether the "
        "conditions for using the police station are still met."
    ),
    "PS6": gettext_noop(
        "Under the Mental Health Act 1983 (Places of Safety) Regulations 2017, "
        "when the conditions are no longer met the person must be moved to "
        "another place of safety, unless an assessment can begin sooner where they are and moving "
        "them would be likely to cause distress."
    ),
    "E1": gettext_noop(
        "Section 136B of the Mental Health Act 1983: only the doctor responsible for the "
        "examination may extend the detention."
    ),
    "E2": gettext_noop("An extension must be made before the 24 hours run out."),
    "E3": gettext_noop("Section 136B: the detention can be extended once, by up to 12 hours."),
    "E4": gettext_noop(
        "Section 136B: an extension is allowed only because the person's condition means the "
        "assessment cannot be completed within 24 hours."
    ),
    "E5": gettext_noop(
        "Section 136B: at a police station, a superintendent or above must approve the "
        "extension first."
    ),
    "A1": gettext_noop(
        "The person is examined by a doctor and interviewed by an approved mental health "
        "professional, so that arrangements for their care can be made."
    ),
    "A2": gettext_noop(
        "A local good-practice target: the assessment should begin within 3 hours. Missing it "
        "is reported, never refused."
    ),
    "A3": gettext_noop(
        "When the doctor finds no mental disorder, the person must be released at once: the "
        "power to detain them no longer applies."
    ),
    "A4": gettext_noop(
        "A local good-practice target: police should hand over to health staff soon after "
        "arrival at a health-based place of safety."
    ),
    "X1": gettext_noop(
        "Section 138 of the Mental Health Act 1983: a person who escapes may be retaken only "
        "within the time their detention could have lasted."
    ),
}


def rule_explanation(rule: str) -> str:
    """The law behind `rule` in plain words (its title when there is no longer explanation)."""
    return RULE_EXPLANATIONS.get(rule) or rule_title(rule)
