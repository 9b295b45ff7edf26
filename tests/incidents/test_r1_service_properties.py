"""R1 property tests through the services and the database (hypothesis): no recordable refusal
changes anything without the confirmation; with it, the act is recorded with exactly the rules the
engine refuses it for, and the detention's deadline columns are the engine's own evaluation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import law
from alerts.models import Alert
from core.actor import acting_as, command_actor
from detentions import services
from detentions.errors import RuleViolation
from detentions.facts import DERIVED_FIELDS, evaluate, facts_for
from detentions.models import (
    Detention,
    DetentionArrival,
    Extension,
    PoliceStationDecision,
    UnlawfulAct,
)
from places_of_safety.models import PlaceOfSafety
from tests.api import helpers as h

pytestmark = pytest.mark.django_db

NOW = h.NOW
ARRIVED = h.T0 + timedelta(minutes=30)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = (Detention, DetentionArrival, PoliceStationDecision, Extension, UnlawfulAct, Alert)


def snapshot(detention):
    detention = Detention.objects.get(pk=detention.pk)
    return (
        [(m.objects.count(), m.history.count()) for m in MODELS],
        [getattr(detention, Detention._meta.get_field(f).attname) for f in DERIVED_FIELDS],
    )


def engine_columns(detention):
    detention = Detention.objects.get(pk=detention.pk)
    ev = evaluate(detention, NOW, facts_for(detention))
    return (
        (ev.clock_started_at, ev.expires_at, ev.extended_until, ev.at_police_station),
        (
            detention.clock_started_at,
            detention.expires_at,
            detention.extended_until,
            detention.at_police_station,
        ),
    )


decisions = st.fixed_dictionaries(
    {
        "imminent_risk": st.sampled_from([True, False, None]),
        "no_other_place": st.sampled_from([True, False]),
        "hcp_available": st.sampled_from([True, False]),
        "decision_maker_rank": st.sampled_from(["constable", "sergeant", "inspector", "amhp"]),
        "inspector_name": st.sampled_from(["", "Insp Grey"]),
        "inspector_rank": st.sampled_from(["", "inspector"]),
    }
)


@pytest.fixture
def station(force):
    return PlaceOfSafety.objects.create(
        name="Custody", kind="police_station", organisation=force, capacity=3
    )


@SETTINGS
@given(decision=decisions, age=st.integers(12, 40), confirm=st.booleans())
def test_r1_station_arrival_never_changes_anything_refused_and_is_the_engines_when_recorded(
    force, station, decision, age, confirm
):
    with transaction.atomic():
        who = h.person(force, date_of_birth=date(NOW.year - age, 1, 1))
        d = h.detention(force, who)
        before = snapshot(d)
        facts = facts_for(Detention.objects.get(pk=d.pk))
        arrival = law.Arrival(
            law.Place(station.pk, "police_station", False),
            ARRIVED,
            law.PoliceStationDecision(
                decision["imminent_risk"],
                decision["no_other_place"],
                decision["hcp_available"],
                decision["decision_maker_rank"],
                inspector_name=decision["inspector_name"] or None,
                inspector_rank=decision["inspector_rank"] or None,
            ),
        )
        refusals = law.check_arrival(facts, arrival, NOW)
        kwargs = {"record_as_happened": True, "account": "It happened."} if confirm else {}
        with acting_as(command_actor("tests")):
            try:
                services.record_arrival(
                    d,
                    place_of_safety=station,
                    arrived_at=ARRIVED,
                    police_station_decision=dict(decision),
                    now=NOW,
                    **kwargs,
                )
            except RuleViolation as exc:
                assert refusals and not (confirm and law.recordable(refusals))
                assert {v.code for v in exc.violations} == {v.code for v in refusals}
                assert snapshot(d) == before  # a refusal changes nothing
            else:
                assert not refusals or (confirm and law.recordable(refusals))
                recorded = set(UnlawfulAct.objects.filter(detention=d).values_list("rule", "code"))
                assert recorded == set(law.unlawful(refusals))
                assert Alert.objects.filter(detention=d, kind="unlawful_act_recorded").count() == (
                    1 if recorded else 0
                )
                engine, stored = engine_columns(d)
                assert engine == stored
        transaction.set_rollback(True)


@SETTINGS
@given(
    hours=st.one_of(st.integers(1, 16), st.decimals(Decimal(1), Decimal(16), places=1)),
    ground=st.sampled_from(["intoxication", "bed_unavailable"]),
    confirm=st.booleans(),
)
def test_r1_an_extension_never_changes_anything_refused_and_never_extends_when_unlawful(
    force, hours, ground, confirm
):
    suite = PlaceOfSafety.objects.get_or_create(
        name="Suite", kind="health_based", organisation=force, defaults={"capacity": 3}
    )[0]
    with transaction.atomic():
        d = h.detention(force, arrive_at=(suite, ARRIVED))
        before = snapshot(d)
        body = {
            "authorised_at": NOW - timedelta(minutes=5),
            "hours": hours,
            "doctor_name": "Dr Foster",
            "doctor_gmc_number": "7654321",
            "ground": ground,
        }
        refusals = law.check_extension(
            facts_for(Detention.objects.get(pk=d.pk)),
            law.Extension(**{**body, "hours": services._stored_hours(hours)}),
            NOW,
        )
        kwargs = {"record_as_happened": True, "account": "It happened."} if confirm else {}
        with acting_as(command_actor("tests")):
            try:
                services.record_extension(d, now=NOW, **body, **kwargs)
            except RuleViolation:
                assert refusals and not confirm
                assert snapshot(d) == before
            else:
                d.refresh_from_db()
                base = ARRIVED + timedelta(hours=24)
                if refusals:
                    assert d.expires_at == base and d.extended_until is None
                else:
                    assert d.expires_at == base + timedelta(hours=float(hours))
                engine, stored = engine_columns(d)
                assert engine == stored
        transaction.set_rollback(True)
