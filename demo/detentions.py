"""Demo detentions for Midshire Police (called by `manage.py seed_demo`).

A few months (and the last full financial year: the s136 return's default period) of
lawful-by-construction s136/s135 detentions recorded through the service
functions (each call made with `now=` at the event's own time, so the rules judge it as they
would have then), plus four active right now so the board is not empty: one at the custody
suite with welfare checks and reviews, one at a health-based suite, one in transit and one near
expiry. Idempotent: does nothing when the demo force already has detentions.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from core.actor import acting_as, command_actor
from detentions import services
from detentions.models import Detention
from people.services import create_person
from places_of_safety.models import PlaceOfSafety

FORCE_SLUG = "midshire-police"
HISTORY_DAYS = 90
HISTORICAL = 30
#: Ended detentions spread over the last full financial year (1 April to 31 March), the s136
#: return's default period, so the return is not all zeros (two a month on average). Worked out
#: from today's date, so a seed run in any year covers that year's return.
FINANCIAL_YEAR = 24

GIVEN = [
    "Aaron", "Bethany", "Callum", "Dana", "Elliot", "Fatima", "Gareth", "Hannah", "Imran",
    "Jade", "Kieran", "Leah", "Marcus", "Nadia", "Owen", "Priya", "Reece", "Sophie", "Tomasz",
    "Uma", "Vincent", "Wendy", "Yusuf", "Zara",
]  # fmt: skip
FAMILY = [
    "Adams", "Begum", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hussain", "Iqbal",
    "Jones", "Kowalski", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts",
    "Shah", "Taylor", "Walsh", "Young",
]  # fmt: skip
ETHNICITIES = ["W1"] * 10 + ["W2", "W9", "M1", "M3", "A1", "A2", "A3", "B1", "B2", "O9", "NS"]
PLACES = {
    "custody": "Castleford Custody Suite",
    "suite": "Northbridge s136 Suite, Ashdown Unit",
    "all_ages": "Southmere s136 Suite (all ages)",
    "ed": "Castleford General Emergency Department",
}
LOCATIONS = [
    ("public_place", "Castleford railway station, platform 2"),
    ("public_place", "Bridge over the River Mid, Northbridge"),
    ("public_place", "Southmere retail park car park"),
    ("shared_communal_area", "Stairwell, Eastwold Court flats"),
    ("public_place", "Market Square, Castleford"),
    ("public_place", "Multi-storey car park, level 6, Northbridge"),
]
OUTCOMES = [
    "admitted_informal",
    "detained_s2",
    "detained_s2",
    "detained_s3",
    "discharged_with_referral",
    "discharged_with_referral",
    "discharged_no_follow_up",
    "no_mental_disorder",
]
POLICE_STATION_DECISION = {
    "imminent_risk": True,
    "no_other_place": True,
    "hcp_available": True,
    "decision_maker_name": "Insp Dan Hughes",
    "decision_maker_rank": "inspector",
}


def _person(force, rng, *, child=False):
    today = timezone.localdate()
    age = rng.randint(15, 16) if child else rng.randint(19, 70)
    born = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    return create_person(
        organisation=force,
        given_name=rng.choice(GIVEN),
        family_name=rng.choice(FAMILY),
        date_of_birth=born,
        gender=rng.choice(["male", "male", "female", "female", "other", "not_known"]),
        ethnicity=rng.choice(ETHNICITIES),
    )


def _start(force, person, npus, rng, detained_at, *, conveyance=None, **extra):
    kind, where = rng.choice(LOCATIONS)
    mode = conveyance or rng.choice(["ambulance", "ambulance", "police_vehicle"])
    return services.start_detention(
        organisation=force,
        person=person,
        power="s136",
        detained_at=detained_at,
        mode=extra.pop("mode", "removed"),
        location_kind=extra.pop("location_kind", kind),
        location_description=extra.pop("location_description", where),
        consultation={
            "consulted_at": detained_at - timedelta(minutes=rng.randint(3, 15)),
            "profession": rng.choice(["nurse", "nurse", "paramedic", "amhp"]),
            "name": rng.choice(
                ["Street triage: RMN Kate Jones", "Paramedic Lee Hart", "AMHP Ruth Evans"]
            ),
            "advice": "Detain under s136 and convey to a place of safety.",
        },
        conveyance_mode=mode,
        conveyance_reason="ambulance_not_available_30min" if mode == "police_vehicle" else "",
        npu=rng.choice(npus),
        now=detained_at + timedelta(minutes=1),
        **extra,
    )


def _assess(d, clock, rng):
    requested = clock + timedelta(minutes=rng.randint(10, 40))
    started = requested + timedelta(minutes=rng.randint(60, 150))
    completed = started + timedelta(minutes=rng.randint(40, 90))
    services.record_assessment(
        d,
        amhp_requested_at=requested,
        doctor_requested_at=requested,
        amhp_arrived_at=started - timedelta(minutes=10),
        doctor_arrived_at=started - timedelta(minutes=5),
        started_at=started,
        completed_at=completed,
        amhp_name="Ruth Evans",
        doctor_name="Dr Omar Farouk",
        doctor_s12_approved=True,
        now=completed + timedelta(minutes=1),
    )
    return completed


def _custody_care(d, arrived, until, *, now_cap=None):
    """Welfare checks every 25 minutes and reviews every 55 minutes from `arrived` to `until`."""
    events = []
    t = arrived + timedelta(minutes=25)
    while t <= until:
        events.append(("check", t))
        t += timedelta(minutes=25)
    t = arrived + timedelta(minutes=55)
    while t <= until:
        events.append(("review", t))
        t += timedelta(minutes=55)
    for kind, at in sorted(events, key=lambda e: e[1]):
        now = at + timedelta(minutes=1)
        if now_cap is not None:
            now = min(now, now_cap)
        if kind == "check":
            services.record_welfare_check(
                d,
                checked_at=at,
                professional_name="Custody nurse Alan Price",
                profession="nurse",
                risk_requires_waking=True,
                now=now,
            )
        else:
            services.record_review(
                d,
                reviewed_at=at,
                conditions_met=True,
                reviewer_name="Sgt Priya Nair",
                now=now,
            )


def _historical(force, npus, places, rng, detained_at, i):
    child = i % 17 == 5
    person = _person(force, rng, child=child)
    roll = rng.random()
    if child:
        route = "all_ages"
    elif roll < 0.08:
        route = "custody"
    elif roll < 0.5:
        route = "suite"
    elif roll < 0.62:
        route = "ed_transfer"
    else:
        route = "ed_kept"

    if route == "ed_kept":
        d = _start(
            force,
            person,
            npus,
            rng,
            detained_at,
            conveyance="none",
            mode="kept",
            location_kind="health_setting",
            location_description="Waiting area, Castleford General ED",
            place_of_safety=places["ed"],
        )
        clock = detained_at
    else:
        d = _start(force, person, npus, rng, detained_at)
        clock = detained_at + timedelta(minutes=rng.randint(15, 50))
        place = places["ed" if route == "ed_transfer" else route]
        services.record_arrival(
            d,
            place_of_safety=place,
            arrived_at=clock,
            police_station_decision=POLICE_STATION_DECISION if route == "custody" else None,
            now=clock + timedelta(minutes=1),
        )
    last = clock
    if route == "custody":
        stay_until = clock + timedelta(minutes=rng.randint(100, 160))
        _custody_care(d, clock, stay_until)
        depart = stay_until + timedelta(minutes=5)
        services.record_transfer(
            d,
            to_place_of_safety=places["suite"],
            departed_at=depart,
            arrived_at=depart + timedelta(minutes=30),
            reason="A bed became available at the health-based place of safety.",
            authorised_by="Sgt Priya Nair",
            now=depart + timedelta(minutes=31),
        )
        last = depart + timedelta(minutes=30)
    elif route == "ed_transfer":
        depart = clock + timedelta(minutes=rng.randint(90, 240))
        services.record_transfer(
            d,
            to_place_of_safety=places["suite"],
            departed_at=depart,
            arrived_at=depart + timedelta(minutes=25),
            reason="Medically fit; moved to the s136 suite for assessment.",
            authorised_by="ED consultant",
            now=depart + timedelta(minutes=26),
        )
        last = depart + timedelta(minutes=25)
    if route in ("suite", "all_ages") or route == "ed_transfer":
        handed = last + timedelta(minutes=rng.randint(20, 100))
        services.record_handover(
            d,
            handed_over_at=handed,
            received_by="Kate Jones RMN",
            now=handed + timedelta(minutes=1),
        )
        last = handed
    if i % 11 == 3 and route != "custody":
        services.record_escape(
            d, escaped_at=last + timedelta(minutes=20), now=last + timedelta(minutes=21)
        )
        services.record_return(
            d, returned_at=last + timedelta(minutes=75), now=last + timedelta(minutes=76)
        )
        last += timedelta(minutes=75)
    if i % 9 == 4 and route != "custody":
        # Too intoxicated to be assessed in time: the doctor extends, then the assessment follows.
        authorised = clock + timedelta(hours=rng.randint(20, 22))
        services.record_extension(
            d,
            authorised_at=authorised,
            hours=rng.choice([4, 6, 8]),
            doctor_name="Dr Omar Farouk",
            doctor_gmc_number="7012345",
            ground="intoxication",
            ground_detail="Too intoxicated to be assessed; reassess once sober.",
            now=authorised + timedelta(minutes=1),
        )
        last = max(last, authorised)
    completed = _assess(d, max(clock, last), rng)
    ended = max(completed, last) + timedelta(minutes=rng.randint(10, 60))
    outcome = rng.choice(OUTCOMES)
    services.end_detention(d, ended_at=ended, outcome=outcome, now=ended + timedelta(minutes=1))
    return d


def _active(force, npus, places, rng, now):
    made = []
    # At the custody suite, with welfare checks and reviews up to now.
    person = _person(force, rng)
    detained = now - timedelta(hours=3, minutes=10)
    d = _start(force, person, npus, rng, detained, conveyance="police_vehicle")
    arrived = detained + timedelta(minutes=20)
    services.record_arrival(
        d,
        place_of_safety=places["custody"],
        arrived_at=arrived,
        police_station_decision=POLICE_STATION_DECISION,
        now=arrived + timedelta(minutes=1),
    )
    _custody_care(d, arrived, now - timedelta(minutes=5), now_cap=now)
    made.append(d)

    # At a health-based suite, handed over, assessment requested.
    person = _person(force, rng)
    detained = now - timedelta(hours=5)
    d = _start(force, person, npus, rng, detained, conveyance="ambulance")
    arrived = detained + timedelta(minutes=30)
    services.record_arrival(
        d, place_of_safety=places["suite"], arrived_at=arrived, now=arrived + timedelta(minutes=1)
    )
    services.record_handover(
        d,
        handed_over_at=arrived + timedelta(minutes=35),
        received_by="Kate Jones RMN",
        now=arrived + timedelta(minutes=36),
    )
    services.record_assessment(
        d,
        amhp_requested_at=arrived + timedelta(minutes=40),
        doctor_requested_at=arrived + timedelta(minutes=40),
        now=arrived + timedelta(minutes=41),
    )
    made.append(d)

    # In transit: detained 25 minutes ago, ambulance on its way.
    person = _person(force, rng)
    made.append(
        _start(force, person, npus, rng, now - timedelta(minutes=25), conveyance="ambulance")
    )

    # Near expiry: 23 hours 20 minutes into the period at the all-ages suite.
    person = _person(force, rng)
    detained = now - timedelta(hours=23, minutes=50)
    d = _start(force, person, npus, rng, detained, conveyance="ambulance")
    arrived = detained + timedelta(minutes=30)
    services.record_arrival(
        d,
        place_of_safety=places["all_ages"],
        arrived_at=arrived,
        now=arrived + timedelta(minutes=1),
    )
    services.record_handover(
        d,
        handed_over_at=arrived + timedelta(minutes=50),
        received_by="Southmere suite staff",
        now=arrived + timedelta(minutes=51),
    )
    made.append(d)
    return made


def financial_year_starts(now, rng, n=FINANCIAL_YEAR) -> list:
    """`n` detention times spread evenly (with a random offset) over the last full financial
    year before `now` (`reporting.views.last_financial_year`), none later than 2 days ago."""
    from reporting.views import last_financial_year

    first, last = last_financial_year(timezone.localdate(now))
    begin = timezone.make_aware(datetime.combine(first, time(0)))
    end = min(timezone.make_aware(datetime.combine(last, time(23, 59))), now - timedelta(days=2))
    step = (end - begin) / n
    return [
        begin + step * i + timedelta(seconds=rng.uniform(0, step.total_seconds() * 0.9))
        for i in range(n)
    ]


def seed(stdout) -> None:
    force = Organisation.objects.filter(slug=FORCE_SLUG).first()
    if force is None:
        return
    if Detention.objects.filter(organisation=force).exists():
        stdout.write("Demo detentions already exist: left as they are.")
        return
    places = {key: PlaceOfSafety.objects.filter(name=name).first() for key, name in PLACES.items()}
    if not all(places.values()):
        stdout.write("Demo places of safety are missing: no demo detentions made.")
        return
    npus = list(force.npus.all()) or [None]
    rng = random.Random(136)  # noqa: S311 - demo data, not security
    now = timezone.now().replace(microsecond=0)
    # Historical ones start 2 days ago at the latest, so they all end before the active ones.
    span = timedelta(days=HISTORY_DAYS - 2).total_seconds()
    starts = sorted(
        now - timedelta(days=HISTORY_DAYS) + timedelta(seconds=rng.uniform(0, span))
        for _ in range(HISTORICAL)
    )
    starts = sorted(set(starts) | set(financial_year_starts(now, rng)))
    with acting_as(command_actor("seed_demo")), transaction.atomic():
        for i, detained_at in enumerate(starts):
            _historical(force, npus, places, rng, detained_at.replace(second=0), i)
        active = _active(force, npus, places, rng, now)
    stdout.write(
        f"Demo detentions: {len(starts)} ended (over {HISTORY_DAYS} days and the last financial"
        f" year), {len(active)} active now."
    )
