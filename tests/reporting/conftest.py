"""Small fixed data for the reporting figures: records written straight to the tables (the
reports read whatever is stored; the services that write them are tested elsewhere), so that
every figure can be checked against values computed by hand."""

import datetime as dt
import functools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from accounts.roles import Role
from detentions.models import (
    Assessment,
    Detention,
    DetentionArrival,
    Extension,
    Handover,
    Transfer,
)
from incidents.models import Incident, OfficerDeployment
from people.models import Person
from places_of_safety.models import PlaceOfSafety
from reporting.models import PopulationFigure

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)
JANUARY = (dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


class Maker:
    def __init__(self):
        self.n = 0

    def person(self, org, *, dob=None, age_assessment=None, gender="male", ethnicity="W1"):
        self.n += 1
        return Person.objects.create(
            organisation=org,
            given_name="Person",
            family_name=f"N{self.n}",
            date_of_birth=dob,
            age_assessment=age_assessment,
            gender=gender,
            ethnicity=ethnicity,
        )

    def detention(
        self,
        org,
        person,
        detained_at,
        *,
        place=None,
        arrived_after=dt.timedelta(minutes=30),
        conveyance_mode="",
        conveyance_reason="",
        ended_after=None,
        ended_at_expiry=False,
        breach_minutes=None,
        outcome="",
        assessment_after=None,
        handover_after=None,
        extension_ground=None,
        transfer_to=None,
        power="s136",
        npu=None,
        incident=None,
    ):
        self.n += 1
        arrived = detained_at + arrived_after if place else None
        expires = arrived + dt.timedelta(hours=24) if arrived else None
        ended = None
        if ended_after is not None:
            ended = arrived + ended_after
        if ended_at_expiry:
            ended = expires
        if breach_minutes is not None:
            ended = expires + dt.timedelta(minutes=breach_minutes)
        d = Detention.objects.create(
            organisation=org,
            reference=f"T-{self.n}",
            person=person,
            incident=incident,
            npu=npu,
            power=power,
            detained_at=detained_at,
            location_kind="public_place",
            conveyance_mode=conveyance_mode,
            conveyance_reason=conveyance_reason,
            rule_set="pca2017",
            status="ended" if ended else ("at_place_of_safety" if place else "in_transit"),
            clock_started_at=arrived,
            expires_at=expires,
            current_place_of_safety=place,
            ended_at=ended,
            outcome=outcome if ended else "",
        )
        if place:
            DetentionArrival.objects.create(detention=d, place=place, arrived_at=arrived)
        if assessment_after is not None:
            Assessment.objects.create(detention=d, started_at=arrived + assessment_after)
        if handover_after is not None:
            Handover.objects.create(
                detention=d, handed_over_at=arrived + handover_after, received_by="Nurse"
            )
        if extension_ground:
            Extension.objects.create(
                detention=d,
                authorised_at=arrived + dt.timedelta(hours=20),
                hours=6,
                doctor_name="Dr A",
                doctor_gmc_number="1234567",
                ground=extension_ground,
            )
        if transfer_to:
            Transfer.objects.create(
                detention=d,
                from_place=place,
                to_place=transfer_to,
                departed_at=arrived + dt.timedelta(hours=2),
                arrived_at=arrived + dt.timedelta(hours=3),
                reason="ED treatment complete",
            )
        return d

    def incident(
        self,
        org,
        occurred_at,
        category,
        *,
        npu=None,
        rcrp="",
        passed_to="",
        minutes=(),
        people=(),
        location_key="",
        healthcare=False,
    ):
        self.n += 1
        i = Incident.objects.create(
            organisation=org,
            reference=f"I-{self.n}",
            occurred_at=occurred_at,
            category=category,
            npu=npu,
            rcrp_threshold=rcrp,
            rcrp_passed_to=passed_to,
            location_key=location_key,
            location_description="Station Road" if location_key else "",
            healthcare_setting=healthcare,
        )
        for m in minutes:
            OfficerDeployment.objects.create(incident=i, officer_name="PC One", minutes=m)
        if people:
            i.people.add(*people)
        return i


@pytest.fixture
def maker():
    return Maker()


@pytest.fixture(params=["unfolded", "summarised", "mixed"])
def summaries(request, monkeypatch):
    """Runs a figure test three ways: nothing refreshed (every incident figure read from the
    triggers' deltas alone, every detention counted live: the triggers have marked them all
    stale), everything read from the summaries and the detention facts (refreshed just before
    each scope is split), and a mix (refreshed, then of the scope's days one in three counted
    live (marked stale), one in three read from deltas (its summary rows turned back into
    deltas, its month rebuilt without them) and the rest from the summaries; every other
    detention marked stale again). The figures must be the same each way."""
    from reporting import queries, summary
    from reporting.models import IncidentDelta, StaleDay, StaleDetention

    mode = request.param
    build = queries.Scope.split.func
    facts = queries.facts

    prepared = {}  # id -> scope (kept alive, so an id is never reused for another scope)

    def prepare(scope):
        if mode == "unfolded" or id(scope) in prepared:
            return
        prepared[id(scope)] = scope
        summary.refresh()
        assert not StaleDay.objects.exists() and not StaleDetention.objects.exists()
        assert not IncidentDelta.objects.exists()
        if mode == "mixed":
            day, now = scope.date_from, dt.datetime.now(dt.UTC)
            unfolded = []
            while day <= scope.date_to:
                if day.toordinal() % 3 == 1:
                    StaleDay.objects.create(
                        organisation_id=scope.organisation_id, day=day, marked_at=now
                    )
                elif day.toordinal() % 3 == 2:
                    unfolded.append(day)
                day += dt.timedelta(days=1)
            unfold(scope.organisation_id, unfolded)
            for pk in Detention.objects.values_list("pk", flat=True)[::2]:
                StaleDetention.objects.create(detention_id=pk, marked_at=now)

    def split(scope):
        prepare(scope)
        return build(scope)

    def prepared_facts(scope):
        prepare(scope)
        return facts(scope)

    patched = functools.cached_property(split)
    patched.__set_name__(queries.Scope, "split")
    monkeypatch.setattr(queries.Scope, "split", patched)
    monkeypatch.setattr(queries, "facts", prepared_facts)
    return mode


def unfold(organisation_id, days):
    """Turns the summary rows of a force's days back into deltas (as if never folded) and
    rebuilds their months from the daily rows left."""
    from reporting import summary

    keys = "organisation_id, day, npu_id, category"
    columns = ", ".join(summary.SUMS)
    params = {"orgs": [organisation_id] * len(days), "days": days}
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (DELETE FROM reporting_incidentday AS s "
            f"USING unnest(%(orgs)s::bigint[], %(days)s::date[]) AS t(organisation_id, day) "
            f"WHERE s.organisation_id = t.organisation_id AND s.day = t.day "
            f"RETURNING s.*) "
            f"INSERT INTO reporting_incidentdelta ({keys}, {columns}) "
            f"SELECT {keys}, {columns} FROM moved",
            params,
        )
        cursor.execute(summary.CLEAR_MONTHS_SQL, params)
        cursor.execute(summary._months_sql(), params)


@pytest.fixture
def places(force, health_trust, acute_trust):
    return {
        "station": PlaceOfSafety.objects.create(
            name="Castleford custody", kind="police_station", organisation=force, capacity=4
        ),
        "suite": PlaceOfSafety.objects.create(
            name="Ashdown suite", kind="health_based", organisation=health_trust, capacity=2
        ),
        "ed": PlaceOfSafety.objects.create(
            name="Midshire ED", kind="emergency_department", organisation=acute_trust, capacity=9
        ),
    }


@pytest.fixture
def january(force, other_force, places, maker):
    """Five s136 detentions in January 2026 (and three that must not count), a few incidents,
    population figures. Expected values are worked out in the tests beside each assertion."""
    npu_n = force.npus.get(code="NPU-N")
    npu_c = force.npus.get(code="NPU-C")
    m = maker
    # D1: turns 18 on 10 Jan 2026; detained one minute before midnight on the 9th -> under 18.
    a = m.person(force, dob=dt.date(2008, 1, 10), gender="female", ethnicity="B2")
    m.detention(
        force,
        a,
        london(2026, 1, 9, 23, 59),
        place=places["suite"],
        conveyance_mode="ambulance",
        ended_after=dt.timedelta(hours=10),
        outcome="detained_s2",
        assessment_after=dt.timedelta(minutes=90),
        handover_after=dt.timedelta(minutes=45),
        npu=npu_n,
    )
    # D2: the same birthday, detained at midnight on the 10th -> 18; a police station; ended
    # exactly at expiry (not a breach).
    b = m.person(force, dob=dt.date(2008, 1, 10), gender="male", ethnicity="W1")
    m.detention(
        force,
        b,
        london(2026, 1, 10, 0, 0),
        place=places["station"],
        conveyance_mode="police_vehicle",
        conveyance_reason="ambulance_not_available_30min",
        ended_at_expiry=True,
        outcome="no_mental_disorder",
        assessment_after=dt.timedelta(minutes=150),
        npu=npu_c,
    )
    # D3: appears under 18, no date of birth; ED then a transfer to a police station; ended one
    # minute after expiry (breach); extension.
    c = m.person(force, age_assessment="appears_under_18", gender="other", ethnicity="M1")
    m.detention(
        force,
        c,
        london(2026, 1, 20, 14, 0),
        place=places["ed"],
        conveyance_mode="police_vehicle",
        breach_minutes=1,
        outcome="admitted_informal",
        extension_ground="physical_treatment",
        transfer_to=places["station"],
        npu=npu_n,
    )
    # D4: nothing known about age, not stated; not yet arrived (running, no clock).
    d = m.person(force, gender="not_known", ethnicity="NS")
    m.detention(force, d, london(2026, 1, 25, 9, 0), place=None, npu=npu_n)
    # D5: adult, running at a suite well past expiry (breach at NOW); extension.
    e = m.person(force, dob=dt.date(1990, 5, 5), gender="male", ethnicity="W2")
    m.detention(
        force,
        e,
        london(2026, 1, 31, 23, 0),
        place=places["suite"],
        extension_ground="intoxication",
        npu=npu_c,
    )
    # Not counted: February, another force, a s135(1) warrant.
    f = m.person(force, dob=dt.date(1980, 1, 1), ethnicity="A1")
    m.detention(
        force, f, london(2026, 2, 1, 0, 0), place=places["suite"], ended_after=dt.timedelta(hours=5)
    )
    g = m.person(other_force, dob=dt.date(1980, 1, 1), ethnicity="A1")
    m.detention(
        other_force,
        g,
        london(2026, 1, 15, 12, 0),
        place=places["station"],
        ended_after=dt.timedelta(hours=5),
    )
    h = m.person(force, dob=dt.date(1980, 1, 1), ethnicity="A1")
    m.detention(
        force,
        h,
        london(2026, 1, 15, 12, 0),
        place=places["suite"],
        power="s135_1",
        ended_after=dt.timedelta(hours=5),
    )

    # Incidents: Monday 5 Jan 10:15 and 10:45, Sunday 11 Jan 23:30; one in February; one of
    # another force.
    key = "pc:AB1 2CD|station road"
    m.incident(
        force,
        london(2026, 1, 5, 10, 15),
        "crisis_or_welfare_check",
        npu=npu_n,
        rcrp="risk_to_life",
        minutes=(60, 30),
        people=(a,),
        location_key=key,
    )
    m.incident(
        force,
        london(2026, 1, 5, 10, 45),
        "crisis_or_welfare_check",
        npu=npu_c,
        rcrp="none",
        passed_to="nhs_111",
        minutes=(30,),
        people=(a, b),
        location_key=key,
    )
    m.incident(
        force,
        london(2026, 1, 11, 23, 30),
        "missing_person",
        npu=npu_n,
        people=(a,),
        location_key=key,
        healthcare=True,
    )
    m.incident(
        force,
        london(2026, 2, 2, 10, 0),
        "missing_person",
        npu=npu_n,
        minutes=(600,),
        people=(a,),
        location_key=key,
    )
    m.incident(other_force, london(2026, 1, 5, 10, 0), "missing_person", minutes=(100,))

    for group, pop in {
        "white": 100_000,
        "mixed": 5_000,
        "asian": 20_000,
        "black": 10_000,
        "other": 4_000,
    }.items():
        PopulationFigure.objects.create(
            organisation=force, group=group, population=pop, source_year=2021
        )
    return {"a": a, "b": b, "npu_n": npu_n, "npu_c": npu_c}


@pytest.fixture
def npu_lead(make_user, force):
    return make_user("npulead", force, Role.NPU_LEAD)


@pytest.fixture
def outsider_lead(make_user, other_force):
    return make_user("westlead", other_force, Role.NPU_LEAD)
