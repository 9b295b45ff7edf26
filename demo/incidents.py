"""Demo incidents for Midshire Police (called by `seed_demo`): a few months of realistic,
mental-health-related demand across the NPUs and categories, with Right Care Right Person
decisions, officers' minutes, a few people with repeated contact and a healthcare setting with
repeated calls. Idempotent: once the demo incidents exist, nothing is added."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core.actor import acting_as, command_actor
from incidents.models import Incident
from incidents.services import create_incident
from people.models import Person
from people.services import create_person
from places_of_safety.models import PlaceOfSafety

FORCE = "midshire-police"
MARKER = "command:seed_demo"
DAYS = 120

PEOPLE = [
    # given, family, date of birth, gender, ethnicity, NHS number, incidents (repeat contact)
    ("Daniel", "Hughes", date(1988, 2, 14), "male", "W1", "9434765919", 7),
    ("Aisha", "Rahman", date(1996, 9, 3), "female", "A3", None, 5),
    ("Connor", "O'Neill", date(2007, 11, 22), "male", "W2", None, 4),
    ("Grace", "Mensah", date(1979, 6, 30), "female", "B2", None, 4),
    ("Tomasz", "Nowak", date(1992, 1, 9), "male", "W9", None, 2),
    ("Ellie", "Shaw", date(2001, 4, 17), "female", "W1", None, 1),
    ("Marcus", "Campbell", date(1985, 12, 1), "male", "B1", None, 1),
    ("Priya", "Desai", date(1990, 8, 8), "female", "A1", None, 1),
    ("Joe", "Whitfield", None, "male", "NS", None, 1),
    ("Zoë", "Clarke", date(1999, 3, 21), "female", "M1", None, 2),
    # A likely duplicate of Daniel Hughes (typing error), left for a person to merge.
    ("Danny", "Hughs", date(1988, 2, 14), "male", "W1", None, 1),
]

LOCATIONS = [
    # description, postcode, NPU, healthcare setting name (or "" / place name prefixed "place:")
    ("Castleford bus station", "CF1 1AA", "NPU-C", ""),
    ("Northbridge railway bridge", "NB2 4RT", "NPU-N", ""),
    (
        "Elm Ward, Castleford General Hospital",
        "CF3 9GH",
        "NPU-C",
        "Elm Ward, Castleford General Hospital",
    ),
    (
        "Castleford General Emergency Department",
        "",
        "NPU-C",
        "place:Castleford General Emergency Department",
    ),
    ("Southmere seafront", "SM1 2SF", "NPU-S", ""),
    ("Eastwold retail park", "EW4 7RP", "NPU-E", ""),
    ("Flat, Ashdown Road", "NB1 3AD", "NPU-N", ""),
    ("The Willows (Southmere) car park", "SM4 1WL", "NPU-S", ""),
    ("Castleford town centre", "CF1 2TC", "NPU-C", ""),
]

CATEGORIES = [
    ("crisis_or_welfare_check", 30),
    ("section_136", 12),
    ("missing_person", 10),
    ("awol_patient", 8),
    ("inpatient_unit_attendance", 8),
    ("conveyance", 6),
    ("mha_assessment_support", 6),
    ("mental_capacity_act", 4),
    ("offence_investigation", 6),
    ("no_bed_available", 4),
    ("other", 6),
]

NOT_ATTENDED = [
    (
        "inpatient_unit",
        "Patient left the ward informally; no crime and no immediate risk reported. Ward staff "
        "to follow their missing patient procedure.",
    ),
    (
        "nhs_mental_health_crisis",
        "Caller distressed but safe at home with family; no immediate risk to life. Passed to "
        "the crisis line, who will call back within the hour.",
    ),
    (
        "ambulance_service",
        "Medical concern (overdose taken earlier, conscious and talking); ambulance already "
        "assigned, no police powers needed.",
    ),
    (
        "adult_social_care",
        "Concern for welfare of a vulnerable adult, no immediate risk. Referred to adult "
        "social care duty team.",
    ),
    (
        "emergency_department",
        "Patient wishes to leave the ED before assessment; no crime, staff have Mental "
        "Capacity Act powers. Advice given by the force mental health tactical adviser.",
    ),
]

ATTENDED_OUTCOMES = [
    "handed_to_health",
    "resolved_at_scene",
    "advice_given",
    "referred_to_partner",
    "conveyed_voluntarily",
    "person_found",
    "detained_s136",
    "no_further_action",
]

OFFICERS = [
    ("PC Sam Okafor", "4412"),
    ("PC Hannah Reid", "3321"),
    ("PC Luke Barker", "5170"),
    ("PS Priya Nair", "2205"),
    ("PC Fatima Ali", "4890"),
    ("PC Owen Price", "6033"),
]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def seed(stdout):
    force = Organisation.objects.filter(slug=FORCE).first()
    if force is None:
        return
    if Incident.objects.filter(organisation=force, recorded_by=MARKER).exists():
        stdout.write("Demo incidents: already present.")
        return
    rng = random.Random(136)  # noqa: S311 - demo data, not security
    now = timezone.now().replace(second=0, microsecond=0)
    npus = {n.code: n for n in force.npus.all()}
    places = {p.name: p for p in PlaceOfSafety.objects.all()}
    with acting_as(command_actor("seed_demo")), transaction.atomic():
        people = []
        for given, family, dob, gender, ethnicity, nhs, count in PEOPLE:
            person = Person.objects.filter(
                organisation=force, given_name=given, family_name=family, date_of_birth=dob
            ).first() or create_person(
                organisation=force,
                given_name=given,
                family_name=family,
                date_of_birth=dob,
                age_assessment=None if dob else "adult",
                gender=gender,
                ethnicity=ethnicity,
                nhs_number=nhs,
            )
            people.append((person, count))
        # Who is involved in which incident: repeat people spread through the period.
        slots = [p for p, count in people for _ in range(count)]
        total = 140
        slots += [None] * (total - len(slots))
        rng.shuffle(slots)
        for i, person in enumerate(slots):
            occurred = now - timedelta(
                days=rng.uniform(0.2, DAYS), hours=0
            )  # spread over about four months
            occurred = occurred.replace(minute=rng.choice([0, 10, 20, 30, 40, 50]))
            # Repeat calls at the hospital ward and the ED; Daniel Hughes mostly on the bridge.
            if person is not None and person.given_name == "Daniel":
                loc = LOCATIONS[1] if rng.random() < 0.6 else LOCATIONS[2]
            elif i % 9 == 0:
                loc = LOCATIONS[2]
            elif i % 11 == 0:
                loc = LOCATIONS[3]
            else:
                loc = rng.choice(LOCATIONS)
            description, postcode, npu_code, setting = loc
            category = _weighted(rng, CATEGORIES)
            not_attended = category not in ("section_136", "offence_investigation") and (
                rng.random() < 0.27
            )
            fields = {
                "npu": npus.get(npu_code),
                "location_description": description,
                "location_postcode": postcode,
                "reported_at": occurred - timedelta(minutes=rng.randint(0, 25)),
                "summary": "",
            }
            if setting.startswith("place:"):
                fields["healthcare_place"] = places.get(setting[6:])
                fields["healthcare_setting"] = fields["healthcare_place"] is not None
                if not fields["healthcare_setting"]:
                    fields["healthcare_setting_name"] = setting[6:]
                    fields["healthcare_setting"] = True
            elif setting:
                fields["healthcare_setting"] = True
                fields["healthcare_setting_name"] = setting
            officers = []
            if not_attended:
                agency, rationale = rng.choice(NOT_ATTENDED)
                fields.update(
                    rcrp_threshold="none",
                    rcrp_rationale=rationale,
                    rcrp_passed_to=agency,
                    outcome="passed_to_other_agency",
                    ended_at=occurred + timedelta(minutes=rng.randint(5, 20)),
                    summary="Call triaged by the control room under Right Care Right Person.",
                )
            else:
                threshold = (
                    "crime"
                    if category == "offence_investigation"
                    else rng.choice(["risk_to_life", "risk_to_life", "serious_harm"])
                )
                outcome = "detained_s136" if category == "section_136" else None
                outcome = outcome or rng.choice(ATTENDED_OUTCOMES[:6])
                minutes = rng.choice([45, 60, 90, 120, 150, 240, 360])
                crew = rng.sample(OFFICERS, k=rng.choice([1, 2, 2, 2, 3]))
                officers = [
                    {"officer_name": name, "collar_number": collar, "minutes": minutes}
                    for name, collar in crew
                ]
                fields.update(
                    rcrp_threshold=threshold,
                    rcrp_rationale="" if threshold == "crime" else "Reported immediate risk.",
                    outcome=outcome,
                    ended_at=occurred + timedelta(minutes=minutes),
                    summary="Officers attended; see outcome.",
                )
            if fields.get("ended_at") and fields["ended_at"] > now:
                fields["ended_at"] = None
            create_incident(
                organisation=force,
                occurred_at=occurred,
                category=category,
                people=[person] if person else [],
                officers=officers,
                now=now,
                **fields,
            )
    stdout.write(f"Demo incidents: {len(slots)} incidents, {len(people)} people.")
