"""The detention figures read from the monthly summary (reporting/detention_months.py) equal the
figures counted from every detention: counts, breakdowns, length bands, the assessment target
and exact medians and 90th percentiles, before any refresh, after one, with stale and running
detentions and part months at either end of the range, and within an NPU."""

import datetime as dt
import random

import pytest
from django.db.models import F

from detentions.models import Assessment, Detention, Handover, Transfer
from reporting import detention_months, queries, summary
from reporting.models import DetentionMinutes, DetentionMonth, StaleDetention
from reporting.queries import Scope

from .conftest import london

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC)
FROM, TO = dt.date(2026, 1, 15), dt.date(2026, 4, 20)  # part January and April, whole Feb, Mar


def counted_from_every_detention(scope, monkeypatch) -> dict:
    with monkeypatch.context() as m:
        m.setattr(detention_months, "figures", lambda *a, **k: None)
        return queries.detention_pass(scope)


def from_months(scope) -> dict:
    assert detention_months.figures(scope)
    return queries.detention_pass(scope)


@pytest.fixture
def detentions(force, places, maker):
    rng = random.Random(136)
    npus = list(force.npus.all())
    kinds = list(places.values())
    made = []
    start = london(2026, 1, 1)
    for i in range(90):
        person = maker.person(
            force,
            dob=dt.date(rng.choice([1970, 1990, 2009]), 3, 3),
            ethnicity=rng.choice(["W1", "B2", "A1", "M3", "O9", "NS"]),
        )
        minutes = lambda lo, hi: dt.timedelta(seconds=rng.randint(lo * 60, hi * 60))  # noqa: E731
        arrived = i % 9 != 0  # otherwise still on the way, with nothing after arrival
        ended = arrived and rng.random() < 0.85
        kw = {
            "place": rng.choice(kinds),
            "conveyance_mode": rng.choice(["", "ambulance", "police_vehicle"]),
            "conveyance_reason": rng.choice(["", "ambulance_not_available_30min"]),
            "ended_after": minutes(30, 30 * 60) if ended else None,
            "outcome": rng.choice(["", "detained_s2", "no_mental_disorder"]),
            # Whole minutes too, so that ties and the target's own edge (180) are met.
            "assessment_after": rng.choice([minutes(5, 400), dt.timedelta(minutes=180), None]),
            "handover_after": rng.choice([minutes(0, 200), dt.timedelta(minutes=60), None]),
            "extension_ground": rng.choice([None, None, "intoxication"]),
            "transfer_to": rng.choice([None, None, places["station"]]),
            "npu": rng.choice(npus),
        }
        if not arrived:
            kw |= {"place": None, "assessment_after": None, "handover_after": None}
            kw |= {"extension_ground": None, "transfer_to": None}
        at = start + dt.timedelta(minutes=rng.randint(0, 140 * 24 * 60))
        d = maker.detention(force, person, at, **kw)
        if arrived and rng.random() < 0.3:
            # More transfers, to any kind of place: the transfers figure counts transfers,
            # not detentions.
            for k in range(rng.randint(1, 3)):
                Transfer.objects.create(
                    detention=d,
                    to_place=rng.choice(kinds),
                    departed_at=d.detained_at + dt.timedelta(hours=4 + k),
                    reason="bed found",
                )
        made.append(d)
    return made


def scopes(force):
    npu = force.npus.first()
    return [
        Scope(force.pk, FROM, TO, now=NOW),
        Scope(force.pk, FROM, TO, npu_id=npu.pk, now=NOW),
        Scope(force.pk, dt.date(2026, 2, 1), dt.date(2026, 3, 31), now=NOW),
        Scope(force.pk, FROM, TO, category="crisis_or_welfare_check", now=NOW),
    ]


def transfer_rows(table) -> dict:
    return {row[0]: row[1] for row in table.rows}


def test_the_monthly_summary_gives_every_figure_exactly(force, detentions, monkeypatch):
    def check():
        for k, scope in enumerate(scopes(force)):
            d = from_months(scope)
            assert d == counted_from_every_detention(scope, monkeypatch)
            # The transfers the facts count are the transfers themselves.
            by_kind = transfer_rows(queries.transfers(scope, d))
            assert by_kind == transfer_rows(queries.transfers(scope))
            assert k > 0 or sum(by_kind.values()) > 20

    check()  # nothing refreshed: every detention is stale and counted live
    summary.refresh()
    assert DetentionMonth.objects.exists() and DetentionMinutes.objects.exists()
    assert not StaleDetention.objects.exists()
    check()
    # Changes after the refresh: stale detentions taken back from the summary and counted as
    # they are now, including one moved into another month and one deleted.
    moved, deleted, *changed = detentions[:6]
    Detention.objects.filter(pk=moved.pk).update(detained_at=london(2026, 3, 3, 3, 3))
    Detention.objects.filter(pk=deleted.pk).delete()
    for d in changed:
        Assessment.objects.update_or_create(
            detention=d, defaults={"started_at": d.detained_at + dt.timedelta(minutes=77)}
        )
        Handover.objects.filter(detention=d).delete()
    # A transfer added to a stored, ended detention makes it stale like any other change.
    ended = next(d for d in detentions[6:] if d.ended_at and d.detained_at >= london(2026, 2, 1))
    Transfer.objects.create(
        detention=ended, to_place=ended.arrival.place, departed_at=ended.detained_at, reason="x"
    )
    assert StaleDetention.objects.count() == 7
    check()
    summary.refresh()
    check()


def test_transfers_are_filled_in_place_by_the_migration(force, detentions, monkeypatch):
    """Migration 0016 fills the new transfer counts of the stored facts and months in place
    (rather than marking every detention stale): the result is what a rebuild gives."""
    from importlib import import_module

    from django.db import connection

    from reporting.models import TRANSFER_COLUMNS, DetentionFact

    summary.refresh()
    rebuilt = list(DetentionMonth.objects.order_by("pk").values())
    assert sum(r["tr_police_station"] + r["tr_health_based"] for r in rebuilt) > 0
    zero = dict.fromkeys(TRANSFER_COLUMNS, 0)
    DetentionFact.objects.update(**zero)
    DetentionMonth.objects.update(**zero)
    migration = import_module("reporting.migrations.0016_transfers_in_facts")
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_FACTS + migration.FILL_MONTHS)
    assert list(DetentionMonth.objects.order_by("pk").values()) == rebuilt
    for scope in scopes(force):
        assert from_months(scope) == counted_from_every_detention(scope, monkeypatch)


def test_the_summary_is_rebuilt_with_its_facts_whatever_moved(force, detentions):
    summary.refresh()
    months = set(DetentionMonth.objects.values_list("month", flat=True))
    assert dt.date(2026, 1, 1) in months
    Detention.objects.filter(detained_at__lt=london(2026, 2, 1)).update(
        detained_at=london(2026, 6, 1)
    )
    summary.refresh()
    assert dt.date(2026, 1, 1) not in set(DetentionMonth.objects.values_list("month", flat=True))
    total = sum(DetentionMonth.objects.values_list("detentions", flat=True))
    assert total == Detention.objects.filter(ended_at__isnull=False).count()


def test_the_months_are_read_from_a_handful_of_queries(
    force, detentions, django_assert_max_num_queries
):
    summary.refresh()
    scope = Scope(force.pk, dt.date(2016, 1, 1), dt.date(2026, 4, 30), now=NOW)
    # whether many detentions are stale, counts, histograms, at most two reads per percentile
    # (five) and one for the target.
    with django_assert_max_num_queries(1 + 2 + 2 * 5 + 1):
        queries.detention_pass(scope)


def test_many_stale_detentions_are_rebuilt_when_read_and_the_figures_do_not_change(
    force, detentions, monkeypatch, django_assert_max_num_queries
):
    """No cliff with stale detentions: past ON_DEMAND_DETENTIONS they are rebuilt once, when the
    figures are read (in a bounded number of statements), instead of being read live in every
    detention statement; the figures are the same either way."""
    summary.refresh()
    # Every detention touched since the refresh (a no-op update still marks it stale).
    Detention.objects.update(detained_at=F("detained_at"))
    stale = StaleDetention.objects.count()
    assert stale >= 80
    scope = scopes(force)[0]
    monkeypatch.setattr(summary, "ON_DEMAND_DETENTIONS", stale)  # at the threshold: read live
    live = from_months(scope)
    assert StaleDetention.objects.count() == stale
    monkeypatch.setattr(summary, "ON_DEMAND_DETENTIONS", stale - 1)  # past it: rebuilt first
    with django_assert_max_num_queries(30):
        on_demand = queries.detention_pass(scope)
    assert not StaleDetention.objects.exists()
    assert live == on_demand == counted_from_every_detention(scope, monkeypatch)
    # Bounded: at most ON_DEMAND_DETENTIONS_MAX are rebuilt per read, the rest read live.
    summary.refresh()
    Detention.objects.update(detained_at=F("detained_at"))
    monkeypatch.setattr(summary, "ON_DEMAND_DETENTIONS", 10)
    monkeypatch.setattr(summary, "ON_DEMAND_DETENTIONS_MAX", 25)
    before = StaleDetention.objects.count()
    bounded = from_months(scope)
    assert StaleDetention.objects.count() == before - 25
    assert bounded == counted_from_every_detention(scope, monkeypatch)


def test_a_change_that_alters_no_fact_rewrites_nothing(force, detentions):
    """A stale detention whose fact comes out the same (a touch, a note) costs one read: its
    stored fact and its months' rows are not written again; a real change still is."""
    from django.db import connection

    def versions(table, key):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {key}, xmin::text FROM {table}")  # noqa: S608
            return dict(cursor.fetchall())

    summary.refresh()
    facts = versions("reporting_detentionfact", "detention_id")
    months = versions("reporting_detentionmonth", "id")
    minutes = versions("reporting_detentionminutes", "id")
    touched, changed = detentions[10], detentions[11]
    Detention.objects.filter(pk=touched.pk).update(detained_at=F("detained_at"))
    Assessment.objects.update_or_create(
        detention=changed, defaults={"started_at": changed.detained_at + dt.timedelta(hours=9)}
    )
    assert StaleDetention.objects.count() == 2
    summary.refresh()
    assert not StaleDetention.objects.exists()
    after = versions("reporting_detentionfact", "detention_id")
    assert after[touched.pk] == facts[touched.pk]
    assert after[changed.pk] != facts[changed.pk]
    assert {k: v for k, v in after.items() if k != changed.pk} == {
        k: v for k, v in facts.items() if k != changed.pk
    }
    # Only the assessment histogram changed: the month rows are as they were.
    assert versions("reporting_detentionmonth", "id") == months
    assert versions("reporting_detentionminutes", "id") != minutes
    scope = Scope(force.pk, FROM, TO, now=NOW)
    assert (
        from_months(scope)["ass__n"]
        == queries.facts(scope).filter(assessment_minutes__isnull=False).count()
    )
