"""Synthetic volumes for dashboards and benchmarks (`manage.py generate_synthetic`).

This is load, not behaviour: rows are written with PostgreSQL COPY past the service functions,
but every record gets its history row (changed_by `command:generate_synthetic`, written by COPY
too), and every detention's derived columns (rule set, status, clock, expiry, extension, place,
deadlines) come from the rule engine (`incidents.law.evaluate`) run on the same facts in
memory, exactly as the services would store them. Detentions are lawful by construction: an
adult-only police station with an inspector's authorisation, extensions before expiry on a
lawful ground at a health-based place, events in time order before the end.

Distributions (plausible, from domain.md): demand rises over the years, peaks in the evening and
at weekends; about 48% of s136 detentions go first to an emergency department, 44% to a
health-based place, 1% to a police station; about half are conveyed by police vehicle; a few
people and places generate much of the repeat demand.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection, transaction

import law
from core.history import actor_attrs
from detentions.facts import targets
from detentions.models import (
    Assessment,
    Detention,
    DetentionArrival,
    Extension,
    Handover,
    PoliceStationDecision,
    Transfer,
)
from incidents.models import Incident, OfficerDeployment
from people.models import Person, normalise_name

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
PREFIX = "SYN"
RESERVE_LOCK = "demo.synthetic.reserve"

HOUR_WEIGHTS = [5, 4, 3, 2, 2, 2, 2, 3, 4, 5, 6, 6, 6, 6, 7, 8, 9, 10, 10, 10, 10, 9, 8, 6]
DOW_WEIGHTS = [0.9, 0.9, 0.9, 0.95, 1.0, 1.0, 0.95]  # Monday..Sunday (acceptance)
CATEGORIES = [
    ("crisis_or_welfare_check", 36),
    ("missing_person", 15),
    ("awol_patient", 5),
    ("conveyance", 5),
    ("mental_capacity_act", 4),
    ("mha_assessment_support", 5),
    ("inpatient_unit_attendance", 6),
    ("offence_investigation", 9),
    ("no_bed_available", 2),
    ("other", 9),
]
RCRP = [("risk_to_life", 30), ("serious_harm", 20), ("crime", 12), ("none", 28), ("", 10)]
AGENCIES = [
    ("nhs_mental_health_crisis", 30),
    ("ambulance_service", 15),
    ("nhs_111", 15),
    ("inpatient_unit", 10),
    ("emergency_department", 8),
    ("gp", 6),
    ("adult_social_care", 6),
    ("care_provider", 5),
    ("voluntary_sector", 3),
    ("other", 2),
]
INCIDENT_OUTCOMES = [
    ("advice_given", 15),
    ("resolved_at_scene", 20),
    ("handed_to_health", 20),
    ("conveyed_voluntarily", 10),
    ("referred_to_partner", 12),
    ("arrested", 4),
    ("person_found", 8),
    ("no_further_action", 8),
    ("other", 3),
]
ETHNICITY = [
    ("W1", 70),
    ("W2", 1),
    ("W3", 0.5),
    ("W9", 4),
    ("M1", 1.6),
    ("M2", 0.7),
    ("M3", 0.8),
    ("M9", 0.8),
    ("A1", 2.5),
    ("A2", 2.2),
    ("A3", 0.8),
    ("A4", 0.6),
    ("A9", 1.0),
    ("B1", 1.6),
    ("B2", 2.6),
    ("B9", 0.5),
    ("O2", 0.5),
    ("O9", 1.0),
    ("NS", 6.0),
]
GENDER = [("male", 58), ("female", 39), ("other", 1.5), ("not_known", 1.5)]
CONVEYANCE = [("ambulance", 45), ("police_vehicle", 48), ("other_health_vehicle", 4), ("other", 3)]
VEHICLE_REASONS = [
    ("ambulance_not_available_30min", 55),
    ("ambulance_not_requested", 8),
    ("ambulance_diverted", 6),
    ("crew_declined", 4),
    ("risk_of_violence", 20),
    ("other", 7),
]
OUTCOMES = [
    ("admitted_informal", 16),
    ("detained_s2", 22),
    ("detained_s3", 4),
    ("discharged_no_follow_up", 12),
    ("discharged_with_referral", 30),
    ("no_mental_disorder", 10),
    ("transferred_physical_care", 4),
    ("other", 2),
]
GIVEN = [
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Jamie",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jordan",
    "Priya",
    "Omar",
    "Aisha",
    "Tom",
    "Amy",
    "Ben",
]
FAMILY = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Khan",
    "Patel",
    "Evans",
    "Hughes",
    "Wilson",
    "Ali",
    "Okafor",
    "Nair",
    "Murphy",
    "Green",
]
EXTENSION_DETAIL = "Not yet well enough to be assessed (documented by the doctor)"
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Avenue",
    "Mill Road",
    "Market Square",
]


def _choices(pairs, k, rng):
    values = [v for v, _w in pairs]
    return rng.choices(values, weights=[w for _v, w in pairs], k=k)


@dataclass
class Volumes:
    incidents: int = 1_000_000
    detentions: int = 60_000
    years: int = 10


class Loader:
    """COPY rows and their history rows; ids reserved from the tables' sequences."""

    def __init__(self, now):
        self.now = now
        attrs = actor_attrs()
        self.actor = [
            attrs["changed_by"],
            attrs["actor_kind"],
            attrs["api_key_id"],
            attrs["triggered_by"],
        ]
        self.counts: dict[str, int] = {}

    def reserve(self, table, n, column="id") -> int:
        """The first of `n` consecutive ids from the table's sequence. Loaders running in
        parallel (`--jobs`) take turns under a session advisory lock: `nextval` then `setval`
        is two steps, and another loader's `nextval` between them would share the range."""
        if n <= 0:
            return 0
        with connection.cursor() as c:
            c.execute("SELECT pg_advisory_lock(hashtext(%s))", [RESERVE_LOCK])
            try:
                c.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), "
                    "nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
                    [table, column, table, column, n],
                )
                last = c.fetchone()[0]
            finally:
                c.execute("SELECT pg_advisory_unlock(hashtext(%s))", [RESERVE_LOCK])
        return last - n + 1

    def copy(self, table, columns, rows):
        n = 0
        with connection.cursor() as c:
            # A bulk load marks its days stale for one rebuild at the end, rather than writing
            # summary deltas batch by batch (reporting/summary.py); for this transaction only.
            # Nor does a benchmark load wait for its commits to reach the disk (this
            # transaction only; a crash loses the load either way).
            c.execute(
                "SELECT set_config('harbour.summary_bulk', 'on', true), "
                "set_config('synchronous_commit', 'off', true)"
            )
        with (
            connection.cursor() as c,
            c.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - our own names
            ) as cp,
        ):
            for row in rows:
                cp.write_row(row)
                n += 1
        self.counts[table] = self.counts.get(table, 0) + n
        return n

    def load(self, model, records, *, history_ids=None):
        """`records`: dicts of attname -> value (id included); the rest takes field defaults.
        Writes the rows and one `+` history row each (history_date = `created_at` when the
        record has one, else its `recorded_at`, else now)."""
        fields = list(model._meta.concrete_fields)
        defaults = {}
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                defaults[f.attname] = self.now
            elif f.has_default():
                defaults[f.attname] = f.get_default()
            elif f.null:
                defaults[f.attname] = None
            else:
                defaults[f.attname] = ""
        names = [f.attname for f in fields]
        columns = [f.column for f in fields]
        rows = []
        for r in records:
            rows.append([r.get(a, defaults[a]) for a in names])
        self.copy(model._meta.db_table, columns, rows)
        hcols = columns + [
            "changed_by",
            "actor_kind",
            "api_key_id",
            "triggered_by",
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user_id",
        ]
        date_at = None
        for name in ("created_at", "recorded_at"):
            if name in names:
                date_at = names.index(name)
                break
        if history_ids is not None:
            hcols.append("history_id")

        def history_rows():
            for i, row in enumerate(rows):
                when = row[date_at] if date_at is not None else self.now
                extra = [*self.actor, when, None, "+", None]
                if history_ids is not None:
                    extra.append(history_ids + i)
                yield row + extra

        self.copy(model.history.model._meta.db_table, hcols, history_rows())


def _local(day: dt.date, minute_of_day: int) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(), tzinfo=LONDON) + dt.timedelta(minutes=minute_of_day)
    # Wall-clock arithmetic across a change of the clocks: normalise through UTC.
    return local.astimezone(UTC)


class Generator:
    def __init__(self, *, force, volumes: Volumes, now=None, seed=136, batch=50_000, log=None):
        self.force = force
        self.v = volumes
        self.now = (now or dt.datetime.now(UTC)).replace(microsecond=0)
        self.seed = seed
        self.rng = random.Random(seed)
        self.batch = batch
        self.log = log or (lambda msg: None)
        self.loader = Loader(self.now)
        self.npus = list(force.npus.order_by("code").values_list("pk", flat=True))
        from places_of_safety.models import PlaceOfSafety

        places = list(PlaceOfSafety.objects.filter(active=True).order_by("pk"))
        self.places = {k: [p for p in places if p.kind == k] for k in law.PlaceKind}
        self.place_facts = {
            p.pk: law.Place(id=p.pk, kind=p.kind, accepts_under_18=p.accepts_under_18)
            for p in places
        }
        self.end_day = (self.now - dt.timedelta(days=2)).astimezone(LONDON).date()
        self.start_day = self.end_day - dt.timedelta(days=365 * volumes.years)
        self.span_days = (self.end_day - self.start_day).days
        self.tag = f"{PREFIX}{self.now:%y%m%d%H%M%S}"
        self.hour_cum = list(_cumulative(HOUR_WEIGHTS))
        self.hour_total = self.hour_cum[-1] + 0.0
        # The part of the time distribution the next instants are drawn from (`incident_part`
        # gives each batch of incidents its own slice, in order: see there).
        self.stratum = (0.0, 1.0)
        self.locations: dict[tuple[int, bool], tuple] = {}

    # --- time ------------------------------------------------------------------------------
    def instant(self) -> dt.datetime:
        """A plausible moment: more recent years busier, evenings and weekends busier."""
        rng = self.rng
        low, high = self.stratum
        while True:
            u = low + (high - low) * rng.random()
            day = self.start_day + dt.timedelta(days=int(self.span_days * u**0.8))
            if rng.random() <= DOW_WEIGHTS[day.weekday()]:
                break
        # What `rng.choices(range(24), cum_weights=self.hour_cum)[0]` draws, without its setup.
        hour = bisect.bisect(self.hour_cum, rng.random() * self.hour_total, 0, 23)
        return _local(day, hour * 60 + rng.randrange(60))

    # --- people ----------------------------------------------------------------------------
    def people(self, n):
        first = self.loader.reserve(Person._meta.db_table, n)
        rng = self.rng
        eth = _choices(ETHNICITY, n, rng)
        gen = _choices(GENDER, n, rng)
        records = []
        for i in range(n):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            r = rng.random()
            dob = None
            age_assessment = None
            if r < 0.05:  # under 18 today (born up to 17 years before the end)
                dob = self.end_day - dt.timedelta(days=rng.randint(12 * 365, 17 * 365))
            elif r < 0.95:
                dob = self.end_day - dt.timedelta(days=rng.randint(20 * 365, 80 * 365))
            elif r < 0.98:
                age_assessment = "adult"
            records.append(
                {
                    "id": first + i,
                    "organisation_id": self.force.pk,
                    "given_name": given,
                    "family_name": f"{family}-{i}",
                    "search_name": normalise_name(f"{given} {family}-{i}"),
                    "date_of_birth": dob,
                    "age_assessment": age_assessment,
                    "gender": gen[i],
                    "ethnicity": eth[i],
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        self.loader.load(Person, records)
        self.person_first, self.person_n = first, n
        self.person_dob = {r["id"]: (r["date_of_birth"], r["age_assessment"]) for r in records}

    def some_person(self) -> int:
        # Skewed: a small share of people account for much of the repeat contact.
        return self.person_first + int(self.person_n * self.rng.random() ** 3)

    # --- incidents -------------------------------------------------------------------------
    @staticmethod
    def location(loc, at_place, healthcare):
        """Location `loc` (one of 20,000 addresses, or a healthcare place): (place or None,
        description, postcode, location_key); the same every time (kept in `self.locations`)."""
        if at_place:
            place = healthcare[loc % len(healthcare)]
            return place, place.name, "", f"place:{place.pk}"
        postcode = f"MS{1 + loc % 30} {loc % 9}{chr(65 + loc % 26)}{chr(65 + loc // 26 % 26)}"
        street = STREETS[loc % len(STREETS)]
        return (
            None,
            f"{loc} {street}",
            postcode,
            f"pc:{postcode}|{normalise_name(f'{loc} {street}')}",
        )

    def incidents(self, n, *, fixed=None):
        """`fixed`: list of dicts (occurred_at, npu_id, person_id, category...) for the
        incidents behind detentions; otherwise random ones."""
        rng = self.rng
        loader = self.loader
        first = loader.reserve(Incident._meta.db_table, n)
        hfirst = loader.reserve(Incident.history.model._meta.db_table, n, "history_id")
        cats = _choices(CATEGORIES, n, rng)
        rcrps = _choices(RCRP, n, rng)
        agencies = _choices(AGENCIES, n, rng)
        outs = _choices(INCIDENT_OUTCOMES, n, rng)
        records, deployments, links = [], [], []
        healthcare = self.places.get("health_based", []) + self.places.get(
            "emergency_department", []
        )
        locations = self.locations
        for i in range(n):
            f = fixed[i] if fixed else None
            occurred = f["occurred_at"] if f else self.instant()
            category = f["category"] if f else cats[i]
            rcrp = f["rcrp"] if f else rcrps[i]
            loc = int(20_000 * rng.random() ** 2.5)
            at_place = bool(healthcare) and (category == "inpatient_unit_attendance" or loc < 40)
            location = locations.get((loc, at_place))
            if location is None:
                location = locations[loc, at_place] = self.location(loc, at_place, healthcare)
            place, description, postcode, key = location
            iid = first + i
            records.append(
                {
                    "id": iid,
                    "organisation_id": self.force.pk,
                    "reference": f"{self.tag}-I{iid}",
                    "reported_at": occurred,
                    "occurred_at": occurred,
                    "category": category,
                    # A location lies in one NPU (the repeat-location rankings rely on it).
                    "npu_id": f["npu_id"]
                    if f
                    else self.npus[loc % len(self.npus)]
                    if self.npus
                    else None,
                    "location_description": description,
                    "location_postcode": postcode,
                    "location_key": key,
                    "healthcare_setting": place is not None,
                    "healthcare_place_id": place.pk if place else None,
                    "healthcare_setting_name": place.name if place else "",
                    "rcrp_threshold": rcrp,
                    "rcrp_passed_to": agencies[i] if rcrp == "none" else "",
                    "outcome": f["outcome"]
                    if f
                    else ("passed_to_other_agency" if rcrp == "none" else outs[i]),
                    "recorded_by": "synthetic",
                    "created_at": occurred + dt.timedelta(minutes=10),
                    "updated_at": occurred + dt.timedelta(minutes=10),
                }
            )
            if rcrp != "none":
                officers = 2 if rng.random() < 0.5 else 1
                base = f["minutes"] if f else max(10, int(rng.lognormvariate(math.log(75), 0.7)))
                for k in range(officers):
                    deployments.append(
                        {
                            "incident_id": iid,
                            "officer_name": f"PC {rng.randint(1000, 9999)}",
                            "collar_number": "",
                            "minutes": min(base + k * 5, 7 * 24 * 60),
                            "recorded_by": "synthetic",
                            "recorded_at": occurred + dt.timedelta(minutes=base),
                        }
                    )
            if f:
                links.append((iid, f["person_id"], hfirst + i))
            else:
                r = rng.random()
                if r < 0.88:
                    links.append((iid, self.some_person(), hfirst + i))
                if r < 0.05:
                    links.append((iid, self.some_person(), hfirst + i))
        loader.load(Incident, records, history_ids=hfirst)
        dfirst = loader.reserve(OfficerDeployment._meta.db_table, len(deployments))
        for k, d in enumerate(deployments):
            d["id"] = dfirst + k
        loader.load(OfficerDeployment, deployments)
        # People on incidents (M2M) and the M2M history rows, tied to the incident's history row.
        through = Incident.people.through
        links = list(dict.fromkeys(links))
        seen = set()
        unique = []
        for iid, pid, hid in links:
            if (iid, pid) not in seen:
                seen.add((iid, pid))
                unique.append((iid, pid, hid))
        tfirst = loader.reserve(through._meta.db_table, len(unique))
        loader.copy(
            through._meta.db_table,
            ["id", "incident_id", "person_id"],
            ((tfirst + k, iid, pid) for k, (iid, pid, _h) in enumerate(unique)),
        )
        m2m_table = _m2m_history_model()._meta.db_table
        loader.copy(
            m2m_table,
            ["id", "incident_id", "person_id", "history_id"],
            ((tfirst + k, iid, pid, hid) for k, (iid, pid, hid) in enumerate(unique)),
        )
        return first

    # --- detentions ------------------------------------------------------------------------
    def detention_plan(self, n):
        """Detentions decided in memory, their events, and the rule engine's evaluation."""
        rng = self.rng
        places = self.places
        first_kinds = []
        for _i in range(n):
            r = rng.random()
            first_kinds.append(
                "emergency_department"
                if r < 0.49
                else "health_based"
                if r < 0.98
                else "police_station"
                if r < 0.99
                else "other"
            )
        conveyances = _choices(CONVEYANCE, n, rng)
        reasons = _choices(VEHICLE_REASONS, n, rng)
        outcomes = _choices(OUTCOMES, n, rng)
        plans = []
        targets_ = targets()
        for i in range(n):
            detained = self.instant()
            person_id = self.some_person()
            dob, assessed = self.person_dob[person_id]
            minor = (
                dob is not None and law.age_on(dob, detained) < 18
            ) or assessed == "appears_under_18"
            kind = first_kinds[i]
            if kind == "police_station" and minor or not places.get(kind):
                kind = "health_based" if places.get("health_based") else "emergency_department"
            if minor and places.get("health_based"):
                under_18 = [p for p in places["health_based"] if p.accepts_under_18]
                place = rng.choice(under_18 or places["health_based"])
            else:
                place = rng.choice(places[kind])
            arrived = detained + dt.timedelta(
                minutes=max(5, int(rng.lognormvariate(math.log(35), 0.6)))
            )
            decision = None
            if place.kind == "police_station":
                decision = {
                    "imminent_risk": True,
                    "no_other_place": True,
                    "hcp_available": True,
                    "decision_maker_name": "Insp Synthetic",
                    "decision_maker_rank": "inspector",
                    "inspector_name": "Insp Synthetic",
                    "inspector_rank": "inspector",
                    "authorised_at": arrived - dt.timedelta(minutes=5),
                }
            rules = law.rule_set_for("s136", detained)
            transfer = None
            if (
                place.kind == "emergency_department"
                and places.get("health_based")
                and rng.random() < 0.12
            ):
                departed = arrived + dt.timedelta(minutes=rng.randint(90, 360))
                to = rng.choice(places["health_based"])
                transfer = {
                    "to": to,
                    "departed_at": departed,
                    "arrived_at": departed + dt.timedelta(minutes=rng.randint(15, 60)),
                }
            last_event = transfer["arrived_at"] if transfer else arrived
            extension = None
            breach = rng.random() < 0.006
            if (
                rules.id == "pca2017"
                and place.kind != "police_station"
                and not breach
                and rng.random() < 0.03
            ):
                hours = rng.randint(2, 12)
                extension = {
                    "authorised_at": arrived + dt.timedelta(hours=20, minutes=rng.randint(0, 180)),
                    "hours": hours,
                    "ground": rng.choice(["physical_treatment", "intoxication", "other_condition"]),
                }
                ended = (
                    arrived
                    + dt.timedelta(hours=24)
                    + dt.timedelta(minutes=rng.randint(20, hours * 60 - 10))
                )
            else:
                length = min(23 * 60, max(90, int(rng.lognormvariate(math.log(9 * 60), 0.5))))
                ended = max(
                    arrived + dt.timedelta(minutes=length), last_event + dt.timedelta(minutes=60)
                )
                if breach:
                    ended = (
                        arrived + rules.permitted_period + dt.timedelta(minutes=rng.randint(1, 180))
                    )
            assessment = None
            if rng.random() < 0.9:
                started = arrived + dt.timedelta(
                    minutes=max(20, int(rng.lognormvariate(math.log(150), 0.6)))
                )
                if started + dt.timedelta(minutes=45) < ended:
                    assessment = {
                        "started_at": started,
                        "completed_at": started + dt.timedelta(minutes=45),
                        "amhp_requested_at": arrived + dt.timedelta(minutes=10),
                        "doctor_requested_at": arrived + dt.timedelta(minutes=10),
                    }
            handover = None
            if place.kind in ("health_based", "emergency_department"):
                at = arrived + dt.timedelta(
                    minutes=max(5, int(rng.lognormvariate(math.log(50), 0.7)))
                )
                if at < ended:
                    handover = at
            conveyance = conveyances[i]
            plans.append(
                {
                    "detained_at": detained,
                    "person_id": person_id,
                    "dob": dob,
                    "age_assessment": assessed,
                    "npu_id": rng.choice(self.npus) if self.npus else None,
                    "place": place,
                    "arrived_at": arrived,
                    "decision": decision,
                    "transfer": transfer,
                    "extension": extension,
                    "assessment": assessment,
                    "handover": handover,
                    "ended_at": ended,
                    "outcome": outcomes[i],
                    "conveyance_mode": conveyance,
                    "conveyance_reason": reasons[i] if conveyance == "police_vehicle" else "",
                    "consulted": rng.random() < 0.85,
                }
            )
        # In time order, as a live system numbers them: a batch of consecutive detentions (the
        # summary refresh takes them by id) then falls in a few months, not in all of them.
        plans.sort(key=lambda p: p["detained_at"])
        for p in plans:
            p["evaluation"] = law.evaluate(self.facts(p), self.now, **targets_)
        return plans

    def facts(self, p) -> law.DetentionFacts:
        place = self.place_facts[p["place"].pk]
        decision = None
        if p["decision"]:
            d = p["decision"]
            decision = law.PoliceStationDecision(
                imminent_risk=True,
                no_other_place=True,
                hcp_available=True,
                decision_maker_rank=d["decision_maker_rank"],
                inspector_name=d["inspector_name"],
                inspector_rank=d["inspector_rank"],
                authorised_at=d["authorised_at"],
            )
        t = p["transfer"]
        e = p["extension"]
        a = p["assessment"]
        return law.DetentionFacts(
            power="s136",
            detained_at=p["detained_at"],
            mode="removed",
            location_kind="public_place",
            date_of_birth=p["dob"],
            age_assessment=p["age_assessment"],
            consultation=law.Consultation(
                consulted_at=p["detained_at"] - dt.timedelta(minutes=5),
                profession="nurse",
                name="Street triage nurse",
                advice="s136 appropriate",
            )
            if p["consulted"]
            else None,
            consultation_not_practicable_reason=None if p["consulted"] else "Immediate risk",
            conveyance_mode=p["conveyance_mode"],
            conveyance_reason=p["conveyance_reason"] or None,
            arrival=law.Arrival(
                place=place, arrived_at=p["arrived_at"], police_station_decision=decision
            ),
            transfers=(
                law.Transfer(
                    id=1,
                    to_place=self.place_facts[t["to"].pk],
                    departed_at=t["departed_at"],
                    arrived_at=t["arrived_at"],
                    reason="Treatment in the emergency department complete",
                    police_station_decision=None,
                ),
            )
            if t
            else (),
            extension=law.Extension(
                authorised_at=e["authorised_at"],
                hours=e["hours"],
                doctor_name="Dr Synthetic",
                doctor_gmc_number="7654321",
                ground=e["ground"],
                ground_detail=EXTENSION_DETAIL,
                superintendent_name=None,
                superintendent_rank=None,
                superintendent_approved_at=None,
            )
            if e
            else None,
            assessment=law.Assessment(
                amhp_requested_at=a["amhp_requested_at"],
                amhp_arrived_at=None,
                doctor_requested_at=a["doctor_requested_at"],
                doctor_arrived_at=None,
                started_at=a["started_at"],
                completed_at=a["completed_at"],
            )
            if a
            else None,
            handover=law.Handover(handed_over_at=p["handover"], received_by="Nurse on duty")
            if p["handover"]
            else None,
            ended_at=p["ended_at"],
            outcome=p["outcome"],
        )

    def detentions(self, n):
        plans = self.detention_plan(n)
        # The s136 incident behind each detention (the call that led to it).
        first_incident = self.incidents(
            n,
            fixed=[
                {
                    "occurred_at": p["detained_at"]
                    - dt.timedelta(minutes=self.rng.randint(10, 60)),
                    "category": "section_136",
                    "rcrp": self.rng.choice(["risk_to_life", "serious_harm"]),
                    "npu_id": p["npu_id"],
                    "person_id": p["person_id"],
                    "outcome": "detained_s136",
                    "minutes": int(
                        ((p["handover"] or p["ended_at"]) - p["detained_at"]).total_seconds() // 60
                    )
                    + 30,
                }
                for p in plans
            ],
        )
        loader = self.loader
        first = loader.reserve(Detention._meta.db_table, n)
        rows, arrivals, decisions, transfers, extensions, assessments, handovers = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        decision_first = loader.reserve(
            PoliceStationDecision._meta.db_table, sum(1 for p in plans if p["decision"])
        )
        k = 0
        for i, p in enumerate(plans):
            did = first + i
            ev = p["evaluation"]
            created = p["detained_at"] + dt.timedelta(minutes=5)
            rows.append(
                {
                    "id": did,
                    "organisation_id": self.force.pk,
                    "reference": f"{self.tag}-D{did}",
                    "person_id": p["person_id"],
                    "incident_id": first_incident + i,
                    "npu_id": p["npu_id"],
                    "power": "s136",
                    "detained_at": p["detained_at"],
                    "mode": "removed",
                    "location_kind": "public_place",
                    "location_description": "Public place",
                    "consulted_at": p["detained_at"] - dt.timedelta(minutes=5)
                    if p["consulted"]
                    else None,
                    "consultation_profession": "nurse" if p["consulted"] else "",
                    "consultation_name": "Street triage nurse" if p["consulted"] else "",
                    "consultation_advice": "s136 appropriate" if p["consulted"] else "",
                    "consultation_not_practicable_reason": ""
                    if p["consulted"]
                    else "Immediate risk",
                    "conveyance_mode": p["conveyance_mode"],
                    "conveyance_reason": p["conveyance_reason"],
                    "rule_set": ev.rule_set,
                    "status": ev.status,
                    "clock_started_at": ev.clock_started_at,
                    "expires_at": ev.expires_at,
                    "extended_until": ev.extended_until,
                    "current_place_of_safety_id": ev.current_place.id if ev.current_place else None,
                    "in_transfer_to_id": ev.in_transfer_to.id if ev.in_transfer_to else None,
                    "at_police_station": ev.at_police_station,
                    "next_welfare_check_due_at": ev.next_welfare_check_due_at,
                    "next_review_due_at": ev.next_review_due_at,
                    "transfer_required": ev.transfer_required,
                    "transfer_required_since": ev.transfer_required_since,
                    "retake_by": ev.retake_by,
                    "assessment_due_at": ev.assessment_due_at,
                    "handover_due_at": ev.handover_due_at,
                    "outcome": p["outcome"],
                    "ended_at": p["ended_at"],
                    "recorded_by": "synthetic",
                    "created_at": created,
                    "updated_at": p["ended_at"],
                }
            )
            decision_id = None
            if p["decision"]:
                decision_id = decision_first + k
                k += 1
                decisions.append(
                    {
                        "id": decision_id,
                        **p["decision"],
                        "recorded_by": "synthetic",
                        "recorded_at": p["arrived_at"],
                    }
                )
            arrivals.append(
                {
                    "detention_id": did,
                    "place_id": p["place"].pk,
                    "arrived_at": p["arrived_at"],
                    "police_station_decision_id": decision_id,
                    "place_status_at_arrival": "open",
                    "recorded_by": "synthetic",
                    "recorded_at": p["arrived_at"],
                }
            )
            if p["transfer"]:
                t = p["transfer"]
                transfers.append(
                    {
                        "detention_id": did,
                        "from_place_id": p["place"].pk,
                        "to_place_id": t["to"].pk,
                        "departed_at": t["departed_at"],
                        "arrived_at": t["arrived_at"],
                        "reason": "Treatment in the emergency department complete",
                        "recorded_by": "synthetic",
                        "recorded_at": t["arrived_at"],
                    }
                )
            if p["extension"]:
                e = p["extension"]
                extensions.append(
                    {
                        "detention_id": did,
                        "authorised_at": e["authorised_at"],
                        "hours": e["hours"],
                        "doctor_name": "Dr Synthetic",
                        "doctor_gmc_number": "7654321",
                        "ground": e["ground"],
                        "ground_detail": EXTENSION_DETAIL,
                        "recorded_by": "synthetic",
                        "recorded_at": e["authorised_at"],
                    }
                )
            if p["assessment"]:
                a = p["assessment"]
                assessments.append(
                    {
                        "detention_id": did,
                        **a,
                        "amhp_name": "AMHP Synthetic",
                        "doctor_name": "Dr Synthetic",
                        "doctor_s12_approved": True,
                        "recorded_by": "synthetic",
                        "recorded_at": a["completed_at"],
                    }
                )
            if p["handover"]:
                handovers.append(
                    {
                        "detention_id": did,
                        "handed_over_at": p["handover"],
                        "received_by": "Nurse on duty",
                        "recorded_by": "synthetic",
                        "recorded_at": p["handover"],
                    }
                )
        loader.load(Detention, rows)
        loader.load(PoliceStationDecision, decisions)
        for model, records in (
            (DetentionArrival, arrivals),
            (Transfer, transfers),
            (Extension, extensions),
            (Assessment, assessments),
            (Handover, handovers),
        ):
            start = loader.reserve(model._meta.db_table, len(records))
            for j, r in enumerate(records):
                r["id"] = start + j
            loader.load(model, records)

    # --- everything ------------------------------------------------------------------------
    def n_people(self) -> int:
        return max(50, int(self.v.incidents * 0.22) + self.v.detentions // 4)

    def remaining(self) -> int:
        """The incidents after those behind the detentions (loaded in `incident_part`s)."""
        return max(0, self.v.incidents - self.v.detentions)

    def head(self) -> tuple[int, int]:
        """The force's people, then its detentions and their incidents; returns the people's
        (first id, count), which the incident parts draw from."""
        n_people = self.n_people()
        with transaction.atomic():
            self.people(n_people)
        self.log(f"people: {n_people}")
        with transaction.atomic():
            self.detentions(self.v.detentions)
        self.log(f"detentions: {self.v.detentions} (and their incidents)")
        return self.person_first, self.person_n

    def incident_part(self, part: int, start: int, end: int, people: tuple[int, int]):
        """Incidents `start` to `end` of `remaining()` (batch-aligned, from `incident_parts`),
        drawn from the people `head` loaded, with a random stream of their own (seeded from the
        force's seed and `part`): the parts can be loaded in any order, by any loader, and the
        data does not depend on how many loaders there are."""
        self.rng = random.Random(f"{self.seed}/incidents/{part}")
        self.person_first, self.person_n = people
        remaining = self.remaining()
        done = start
        while done < end:
            n = min(self.batch, end - done)
            # Stratified in time: batch k draws its instants from the k-th slice of the same
            # distribution, so batches come in time order and the time-ordered indexes (and the
            # summaries' stale days) grow at their end instead of everywhere: batch time stays
            # flat as the tables grow. The distribution over all batches is unchanged.
            self.stratum = (done / remaining, (done + n) / remaining)
            with transaction.atomic():
                self.incidents(n)
            done += n
            self.log(f"incidents: {done + self.v.detentions}/{self.v.incidents}")
        self.stratum = (0.0, 1.0)

    def run(self):
        """Everything for the force in this process (the loaders' tasks one after another)."""
        people = self.head()
        for part, (start, end) in enumerate(incident_parts(self.remaining(), self.batch)):
            self.incident_part(part, start, end, people)
        return self.loader.counts


# Batches in one incident part (`generate_synthetic --jobs` hands the parts out from a queue:
# the smaller they are, the closer together the loaders finish).
BATCHES_PER_PART = 2


def incident_parts(remaining: int, batch: int) -> list[tuple[int, int]]:
    """The incidents after the detentions' as (start, end) parts of BATCHES_PER_PART batches."""
    size = max(1, batch) * BATCHES_PER_PART
    return [(lo, min(lo + size, remaining)) for lo in range(0, remaining, size)]


def _cumulative(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def _m2m_history_model():
    from django.apps import apps

    return apps.get_model("incidents", "HistoricalIncident_people")


def analyze_tables() -> list[str]:
    """The tables the load writes (vacuumed and analysed after it)."""
    return [
        m._meta.db_table
        for m in (
            Person,
            Incident,
            OfficerDeployment,
            Detention,
            DetentionArrival,
            Transfer,
            Extension,
            Assessment,
            Handover,
            PoliceStationDecision,
        )
    ] + [Incident.people.through._meta.db_table]


def _bulk_tables() -> list[str]:
    from django.apps import apps

    models = [
        Person,
        Person.history.model,
        Incident,
        Incident.history.model,
        Incident.people.through,
        OfficerDeployment,
        OfficerDeployment.history.model,
    ]
    return [m._meta.db_table for m in models] + [
        apps.get_model("incidents", "HistoricalIncident_people")._meta.db_table,
        "reporting_personincident",
    ]


# The tables that grow with the number of incidents (their secondary indexes are rebuilt after
# a large load: see generate_synthetic).
BULK_TABLES = _bulk_tables()
