"""Each figure against values worked out by hand on the fixed data in conftest.py."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import law
from reporting import queries
from reporting.queries import Scope

from .conftest import JANUARY, NOW, london
from .test_force_figures import NO_FORCE

# Every test runs three ways: live, summarised and mixed (conftest.py `summaries`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("summaries")]


@pytest.fixture
def scope(force, january):
    return Scope(force.pk, *JANUARY, now=NOW)


def rows(table):
    return {str(r[0]): r[1:] if len(r) > 2 else r[1] for r in table.rows}


def test_s136_return_by_hand(scope):
    data = queries.s136_return(scope)
    assert data == {
        "from": "2026-01-01",
        "to": "2026-01-31",
        "power": "s136",
        # D1-D5 (February, the other force and the s135(1) warrant are left out).
        "total": 5,
        "by_first_place_of_safety": {
            "health_based": 2,  # D1, D5
            "emergency_department": 1,  # D3
            "police_station": 1,  # D2
            "other": 0,
            "none": 1,  # D4 not yet arrived
        },
        # D1 the minute before the 18th birthday, D3 appears under 18; D2 at midnight on the
        # birthday; D4 nothing known.
        "by_age_group": {"under_18": 2, "18_and_over": 2, "not_known": 1},
        "by_gender": {"male": 2, "female": 1, "other": 1, "not_known": 1},
        # W1 + W2 white; M1 mixed; B2 black; NS not stated.
        "by_ethnicity_group": {
            "white": 2,
            "mixed": 1,
            "asian": 0,
            "black": 1,
            "other": 0,
            "not_stated": 1,
        },
        "by_conveyance": {
            "ambulance": 1,
            "police_vehicle": 2,
            "other_health_vehicle": 0,
            "other": 0,
            "none": 0,
            "not_recorded": 2,
        },
        "by_police_vehicle_reason": {
            "ambulance_not_available_30min": 1,
            "ambulance_not_requested": 0,
            "ambulance_diverted": 0,
            "crew_declined": 0,
            "risk_of_violence": 0,
            "arrested_for_offence": 0,
            "other": 0,
            "not_recorded": 1,
        },
        # D3 (appears under 18) transferred from the ED to a police station.
        "under_18_at_police_station": 1,
        "extensions": 2,  # D3, D5
        # D3 ended one minute after expiry; D5 still running after expiry. D2 ended exactly at
        # expiry: not a breach.
        "breaches": 2,
        # D1 90 min, D2 150 min.
        "median_minutes_to_assessment": 120.0,
        # No force, search or restraint recorded here (tests/reporting/test_force_figures.py).
        **NO_FORCE,
        "unlawful_acts": 0,  # R1: none recorded as it happened
    }


def test_median_to_assessment_is_null_when_none(force, january):
    data = queries.s136_return(Scope(force.pk, dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert data["total"] == 0
    assert data["median_minutes_to_assessment"] is None


def test_another_force_sees_only_its_own(other_force, january):
    data = queries.s136_return(Scope(other_force.pk, *JANUARY, now=NOW))
    assert data["total"] == 1
    assert data["by_first_place_of_safety"]["police_station"] == 1


def test_npu_filter(force, january):
    data = queries.s136_return(Scope(force.pk, *JANUARY, npu_id=january["npu_c"].pk, now=NOW))
    assert data["total"] == 2  # D2, D5


def test_ethnicity_rates_and_relative_rate(scope):
    table = queries.ethnicity_rates(scope)
    by_group = {r[0]: r[1:] for r in table.rows}
    # [detentions, population, rate per 1,000, relative rate against White]
    assert by_group["White"] == [2, 100_000, 0.02, 1.0]
    assert by_group["Mixed"] == [1, 5_000, 0.2, 10.0]
    assert by_group["Asian"] == [0, 20_000, 0.0, 0.0]
    assert by_group["Black"] == [1, 10_000, 0.1, 5.0]
    assert by_group["Other"] == [0, 4_000, 0.0, 0.0]
    assert by_group["Not stated"] == [1, None, None, None]


def test_ethnicity_without_population_has_no_rates(other_force, january):
    table = queries.ethnicity_rates(Scope(other_force.pk, *JANUARY, now=NOW))
    assert all(r[3] is None and r[4] is None for r in table.rows)
    assert "No population figures" in str(table.note)


@pytest.mark.parametrize(
    ("dob", "detained_at", "group"),
    [
        (dt.date(2008, 2, 29), london(2026, 2, 28, 23, 59), "under_18"),
        (dt.date(2008, 2, 29), london(2026, 3, 1, 0, 0), "18_and_over"),
        (dt.date(2008, 7, 1), london(2026, 6, 30, 23, 30), "under_18"),  # 22:30 UTC
        (dt.date(2008, 7, 1), london(2026, 7, 1, 0, 30), "18_and_over"),  # 23:30 UTC the day before
        (dt.date(2008, 12, 25), london(2026, 12, 25, 0, 0), "18_and_over"),
    ],
)
def test_age_group_at_the_18th_birthday_agrees_with_the_rule_engine(
    force, maker, dob, detained_at, group
):
    person = maker.person(force, dob=dob)
    maker.detention(force, person, detained_at)
    day = detained_at.date()
    data = queries.s136_return(Scope(force.pk, day, day))
    assert data["by_age_group"][group] == 1
    engine_says = "under_18" if law.age_on(dob, detained_at) < 18 else "18_and_over"
    assert engine_says == group


def test_breach_at_exact_expiry_is_not_a_breach(force, maker, places):
    p = maker.person(force, dob=dt.date(1980, 1, 1))
    at = london(2026, 1, 10, 12, 0)
    maker.detention(force, p, at, place=places["suite"], ended_at_expiry=True)
    scope = Scope(force.pk, at.date(), at.date())
    assert queries.breach_count(scope) == 0


def test_volumes_heatmap_and_category(scope):
    assert rows(queries.volumes(scope)) == {"2026-01-05": 2, "2026-01-11": 1}
    heat = {r[0]: r[1:] for r in queries.heatmap(scope).rows}
    assert heat["Monday"][10] == 2
    assert heat["Sunday"][23] == 1
    assert sum(sum(v) for v in heat.values()) == 3
    cats = rows(queries.by_category(scope))
    assert cats["Crisis or welfare check"] == 2
    assert cats["Missing person"] == 1
    assert queries.by_category(scope).total == 3


def test_volumes_and_heatmap_use_uk_time_across_summer_time(force, maker):
    # 23:30 UTC on 30 June is 00:30 on Wednesday 1 July in the UK (BST).
    maker.incident(force, dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), "other")
    scope = Scope(force.pk, dt.date(2026, 7, 1), dt.date(2026, 7, 1))
    assert rows(queries.volumes(scope)) == {"2026-07-01": 1}
    heat = {r[0]: r[1:] for r in queries.heatmap(scope).rows}
    assert heat["Wednesday"][0] == 1
    assert queries.volumes(Scope(force.pk, dt.date(2026, 6, 30), dt.date(2026, 6, 30))).rows == []


def test_volumes_granularity(force, january):
    year = Scope(force.pk, dt.date(2025, 6, 1), dt.date(2026, 5, 31))
    assert queries.volumes(year).columns[0] == "Week beginning"
    assert rows(queries.volumes(year)) == {"2026-01-05": 3, "2026-02-02": 1}
    decade = Scope(force.pk, dt.date(2016, 6, 1), dt.date(2026, 5, 31))
    assert rows(queries.volumes(decade)) == {"2026-01-01": 3, "2026-02-01": 1}


def test_rcrp(scope):
    assert rows(queries.rcrp(scope))["Attend: real and immediate risk to life"] == 1
    assert rows(queries.rcrp(scope))["Threshold not met: passed to the right agency"] == 1
    assert rows(queries.rcrp(scope))["Not recorded"] == 1
    assert rows(queries.rcrp_passed_to(scope))["NHS 111 (mental health option)"] == 1


def test_officer_hours_and_cost(scope, settings):
    settings.HARBOUR = {**settings.HARBOUR, "OFFICER_HOURLY_COST": 50}
    table = queries.officer_hours(scope)
    # 60 + 30 + 30 minutes on crisis calls = 2 hours over 3 deployments, at £50 an hour.
    assert table.rows == [["Crisis or welfare check", 2.0, 3, 100]]


def test_repeat_people_and_locations(scope, january):
    people = queries.repeat_people(scope)
    assert [r[1] for r in people.rows] == [3]  # person a: three incidents in January
    assert people.rows[0][0] == str(january["a"])
    locations = queries.repeat_locations(scope)
    assert [(r[1], r[2]) for r in locations.rows] == [(3, "Yes")]


def test_detention_tables(scope):
    assert rows(queries.police_station(scope)) == {"All ages": 2, "Under 18 (must be zero)": 1}
    assert rows(queries.time_to_assessment(scope)) == {
        "Assessments started": 2,
        "Median (minutes)": 120,
        "90th percentile (minutes)": 144,  # 90 + 0.9 * (150 - 90)
        "Started after the target": 0,
    }
    assert rows(queries.time_to_handover(scope))["Median (minutes)"] == 45
    # Ended: D1 10 h 30 min after detention, D2 24 h 30, D3 24 h 31.
    length = rows(queries.length_of_detention(scope))
    assert list(length.values()) == [0, 1, 0, 2]
    assert rows(queries.extensions(scope))["Physical treatment needed"] == 1
    assert rows(queries.extensions(scope))["Intoxication"] == 1
    assert rows(queries.breaches(scope))["Of which still running"] == 1
    outcomes = rows(queries.outcomes(scope))
    assert (outcomes["Detained under section 2"], outcomes["Admitted informally"]) == (1, 1)
    assert rows(queries.transfers(scope))["Police station"] == 1


def test_category_filter_reaches_detentions_through_their_incident(force, january):
    scope = Scope(force.pk, *JANUARY, category="section_136", now=NOW)
    assert queries.s136_return(scope)["total"] == 0
    assert queries.by_category(scope).total == 0


def test_query_count_does_not_grow_with_data(force, january, maker, places):
    def count():
        scope = Scope(force.pk, *JANUARY, now=NOW)
        scope.split, queries.facts(scope)  # the `summaries` fixture's preparation, not counted
        with CaptureQueriesContext(connection) as ctx:
            for fn in queries.FIGURES.values():
                fn(scope)
            queries.s136_return(scope)
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        p = maker.person(force, dob=dt.date(1985, 1, 1))
        maker.detention(
            force,
            p,
            london(2026, 1, 12, i, 0),
            place=places["ed"],
            transfer_to=places["suite"],
            assessment_after=dt.timedelta(hours=1),
        )
        maker.incident(force, london(2026, 1, 12, i, 0), "other", minutes=(10,), people=(p,))
    assert count() == before


def test_the_one_pass_dashboard_agrees_with_each_figure(scope):
    together = queries.dashboard(scope)
    assert set(together) == set(queries.FIGURES)
    for key, fn in queries.FIGURES.items():
        alone = fn(scope)
        assert (together[key].columns, together[key].rows) == (alone.columns, alone.rows), key
        assert str(together[key].note) == str(alone.note), key
