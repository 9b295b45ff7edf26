"""The reporting summaries: triggers write every change as a delta (or, in a bulk load, mark its
days stale) in its own transaction, the fold and the refresh give exactly what counting the
records gives, and a writer racing either is never lost nor counted twice."""

import datetime as dt
import io
import math
import random
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import NPU
from detentions.models import Assessment
from incidents.models import Incident, OfficerDeployment
from people.models import Person
from places_of_safety.models import PlaceKind
from reporting import queries, summary
from reporting.models import (
    DetentionFact,
    IncidentDay,
    IncidentDelta,
    IncidentMonth,
    LocationNpuTotal,
    LocationTotal,
    PersonIncident,
    PersonTotal,
    StaleDay,
    StaleDetention,
)
from reporting.queries import Scope
from reporting.summary import Split
from reporting.tasks import refresh_summaries
from tests.conftest import wait_for

from .conftest import london

pytestmark = pytest.mark.django_db


def rows(table):
    return {str(r[0]): r[1] for r in table.rows}


def stale_days(org):
    return set(StaleDay.objects.filter(organisation=org).values_list("day", flat=True))


def deltas(org):
    return sorted(
        IncidentDelta.objects.filter(organisation=org).values_list(
            "day", "category", "incidents", "deployments", "officer_minutes"
        )
    )


def summary_rows(model, org):
    """Every summary row of a force, as comparable tuples (ids left out)."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(model.objects.filter(organisation=org).values_list(*fields))


def rebuilt(org):
    """The force's summaries as a rebuild from the incidents gives them (every day with
    incidents marked stale and refreshed), for comparing a fold against."""
    call_command("refresh_reporting", "--all", stdout=io.StringIO())
    return summary_rows(IncidentDay, org), summary_rows(IncidentMonth, org)


def bulk(cursor=None):
    """What a bulk load sets (demo/synthetic.py): its changes mark days stale."""
    with connection.cursor() as c:
        c.execute("SELECT set_config('harbour.summary_bulk', 'on', true)")


def test_an_incident_writes_a_delta_for_its_uk_day_and_the_fold_builds_the_summary(force, maker):
    # 23:30 UTC on 30 June is 00:30 on 1 July in the UK (BST): the day is 1 July.
    maker.incident(
        force, dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC), "other", minutes=(20, 40)
    )
    assert stale_days(force) == set()
    # The incident (deployments 0 when it was inserted), then each deployment.
    assert deltas(force) == [
        (dt.date(2026, 7, 1), "other", 0, 1, 20),
        (dt.date(2026, 7, 1), "other", 0, 1, 40),
        (dt.date(2026, 7, 1), "other", 1, 0, 0),
    ]
    assert summary.refresh() == 3
    assert deltas(force) == []
    row = IncidentDay.objects.get(organisation=force)
    assert (row.day, row.category, row.incidents, row.h00) == (dt.date(2026, 7, 1), "other", 1, 1)
    assert (row.deployments, row.officer_minutes, row.rcrp_blank) == (2, 60, 1)
    month = IncidentMonth.objects.get(organisation=force)
    assert (month.month, month.dow, month.incidents, month.h00) == (dt.date(2026, 7, 1), 3, 1, 1)
    assert (summary_rows(IncidentDay, force), summary_rows(IncidentMonth, force)) == rebuilt(force)


def test_moving_deleting_and_bulk_updates_write_deltas_that_fold_as_a_rebuild_would(force, maker):
    incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other", minutes=(30,))
    summary.refresh()
    incident.occurred_at = london(2026, 3, 5, 10, 0)
    incident.save()
    # Taken from the day it was on (with its deployment), added to the day it is on now.
    assert deltas(force) == [
        (dt.date(2026, 3, 2), "other", -1, -1, -30),
        (dt.date(2026, 3, 5), "other", 1, 1, 30),
    ]
    incident.save()  # a save that changes nothing the summaries count writes nothing
    Incident.objects.filter(pk=incident.pk).update(location_description="Elsewhere")
    assert len(deltas(force)) == 2
    summary.refresh()
    assert (summary_rows(IncidentDay, force), summary_rows(IncidentMonth, force)) == rebuilt(force)
    Incident.objects.filter(pk=incident.pk).update(category="missing_person")  # no signals
    summary.refresh()
    assert IncidentDay.objects.get(organisation=force).category == "missing_person"
    deployment = OfficerDeployment.objects.create(
        incident=incident, officer_name="PC Two", minutes=15
    )
    OfficerDeployment.objects.filter(pk=deployment.pk).update(minutes=25)
    assert deltas(force) == [
        (dt.date(2026, 3, 5), "missing_person", 0, 0, 10),
        (dt.date(2026, 3, 5), "missing_person", 0, 1, 15),
    ]
    summary.refresh()
    assert IncidentDay.objects.get(organisation=force).officer_minutes == 55
    # An hour moved within the day: the same key, a different hour column.
    Incident.objects.filter(pk=incident.pk).update(occurred_at=london(2026, 3, 5, 14, 0))
    (delta,) = IncidentDelta.objects.filter(organisation=force)
    assert (delta.incidents, delta.h10, delta.h14) == (0, -1, 1)
    summary.refresh()
    assert (summary_rows(IncidentDay, force), summary_rows(IncidentMonth, force)) == rebuilt(force)
    incident.delete()
    summary.refresh()
    assert not IncidentDay.objects.filter(organisation=force).exists()
    assert not IncidentMonth.objects.filter(organisation=force).exists()


def test_a_fold_that_finds_a_summary_row_missing_marks_its_day_stale(force, maker):
    """A delta that would take a summary row below zero (the row is gone) is not added: the
    fold marks its day stale, the refresh rebuilds it, nothing wedges."""
    north, central = force.npus.get(code="NPU-N"), force.npus.get(code="NPU-C")
    incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other", npu=north)
    maker.incident(force, london(2026, 3, 2, 11, 0), "other", npu=central)
    summary.refresh()
    Incident.objects.filter(pk=incident.pk).update(npu=central)
    IncidentDay.objects.filter(organisation=force, npu=north).delete()
    IncidentMonth.objects.filter(organisation=force, npu=north).delete()
    assert summary.fold() == 2
    assert stale_days(force) == {dt.date(2026, 3, 2)}
    scope = Scope(force.pk, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert rows(queries.by_category(scope))["Other"] == 2  # the day counted live
    summary.refresh()
    assert stale_days(force) == set()
    assert (summary_rows(IncidentDay, force), summary_rows(IncidentMonth, force)) == rebuilt(force)
    assert IncidentDay.objects.get(organisation=force).incidents == 2


def test_a_bulk_load_marks_its_days_stale_instead(force, maker):
    with transaction.atomic():
        bulk()
        maker.incident(force, london(2026, 3, 2, 10, 0), "other", minutes=(20,))
    assert stale_days(force) == {dt.date(2026, 3, 2)}
    assert deltas(force) == []
    maker.incident(force, london(2026, 3, 2, 11, 0), "other")  # not bulk: a delta, ignored
    scope = Scope(force.pk, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert rows(queries.by_category(scope))["Other"] == 2  # the stale day counted live
    assert summary.refresh() == 1  # the rebuild removes the day's delta with it
    assert deltas(force) == [] and stale_days(force) == set()
    assert IncidentDay.objects.get(organisation=force).incidents == 2


def test_a_stale_day_is_counted_live_so_figures_are_exact_before_any_refresh(force, maker):
    scope = lambda: Scope(force.pk, dt.date(2026, 3, 1), dt.date(2026, 3, 31))  # noqa: E731
    incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other")
    summary.refresh()
    assert rows(queries.by_category(scope()))["Other"] == 1
    incident.category = "missing_person"
    incident.save()
    counts = rows(queries.by_category(scope()))
    assert (counts["Other"], counts["Missing person"]) == (0, 1)


def test_detention_facts_follow_the_person_the_place_and_the_records(force, maker, places):
    person = maker.person(force, dob=dt.date(1990, 1, 1))
    detention = maker.detention(force, person, london(2026, 1, 5, 10, 0), place=places["ed"])
    summary.refresh()
    fact = DetentionFact.objects.get(detention_id=detention.pk)
    assert (fact.age_group, fact.first_place, fact.held_at_station) == (
        "18_and_over",
        places["ed"].kind,
        False,
    )
    Person.objects.filter(pk=person.pk).update(date_of_birth=dt.date(2010, 1, 1))
    assert StaleDetention.objects.filter(detention_id=detention.pk).exists()
    summary.refresh()
    assert DetentionFact.objects.get(detention_id=detention.pk).age_group == "under_18"
    places["ed"].kind = PlaceKind.POLICE_STATION
    places["ed"].save()
    assert StaleDetention.objects.filter(detention_id=detention.pk).exists()
    # Stale: the figures read it live, and agree with the rebuilt fact.
    scope = Scope(force.pk, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert queries.s136_return(scope)["under_18_at_police_station"] == 1
    summary.refresh()
    assert DetentionFact.objects.get(detention_id=detention.pk).held_at_station is True
    assert queries.s136_return(scope)["under_18_at_police_station"] == 1
    Assessment.objects.create(detention=detention, started_at=london(2026, 1, 5, 12, 0))
    assert StaleDetention.objects.filter(detention_id=detention.pk).exists()
    summary.refresh()
    fact = DetentionFact.objects.get(detention_id=detention.pk)
    assert fact.assessment_started_at == london(2026, 1, 5, 12, 0)
    detention.delete()
    summary.refresh()
    assert not DetentionFact.objects.filter(detention_id=detention.pk).exists()


def test_detention_months_follow_their_facts_as_a_rebuild_would(force, maker, places):
    """The refresh takes a rewritten fact's old counts out of its month and puts the new ones
    in: after moves between months, an end, a change of place and a deletion, the monthly
    summary and histograms equal a rebuild of every month from the facts."""
    from reporting import detention_months
    from reporting.models import DetentionMinutes, DetentionMonth

    def months():
        return summary_rows(DetentionMonth, force), summary_rows(DetentionMinutes, force)

    person = maker.person(force, dob=dt.date(1990, 1, 1))
    made = [
        maker.detention(
            force,
            person,
            london(2026, 1 + n % 3, 3 + n, 10, 0),
            place=places["ed" if n % 2 else "station"],
            ended_after=dt.timedelta(hours=3 + n),
            assessment_after=dt.timedelta(minutes=40 + 20 * n),
            outcome="detained_s2",
        )
        for n in range(6)
    ]
    summary.refresh()
    first, second, third = made[0], made[1], made[2]
    first.detained_at = london(2026, 3, 20, 9, 0)  # to another month
    first.save()
    places["ed"].kind = PlaceKind.POLICE_STATION  # every detention that went there
    places["ed"].save()
    Assessment.objects.filter(detention=second).delete()
    third.delete()
    summary.refresh()
    incremental = months()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT organisation_id, date_trunc('month', month)::date "
            "FROM reporting_detentionmonth"
        )
        detention_months.rebuild(cursor, set(cursor.fetchall()))
    assert incremental == months()
    assert sum(r[5] for r in incremental[0]) == 5  # five detentions left, every one ended


def test_split_reads_whole_current_months_from_the_monthly_summary(force):
    now = dt.datetime.now(dt.UTC)
    StaleDay.objects.create(organisation=force, day=dt.date(2026, 2, 10), marked_at=now)
    split = Split(force.pk, dt.date(2026, 1, 15), dt.date(2026, 4, 30), use_months=True)
    assert split.live == [(dt.date(2026, 2, 10), dt.date(2026, 2, 10))]
    assert split.months == [(dt.date(2026, 3, 1), dt.date(2026, 4, 30))]
    assert split.summary == [
        (dt.date(2026, 1, 15), dt.date(2026, 2, 9)),
        (dt.date(2026, 2, 11), dt.date(2026, 2, 28)),
    ]
    days = Split(force.pk, dt.date(2026, 1, 15), dt.date(2026, 4, 30))
    assert days.months == [] and days.summary[-1] == (dt.date(2026, 2, 11), dt.date(2026, 4, 30))


@pytest.mark.django_db(transaction=True)
def test_a_writer_open_during_a_refresh_is_never_lost(force, maker):
    """A bulk writer changes an incident on a day that is already stale and holds its
    transaction open. Its trigger's upsert has locked the stale row, so a refresh meanwhile
    skips that day (it must not rebuild it without the change and mark it current); once the
    writer commits, the next refresh rebuilds the day with the change."""
    with transaction.atomic():
        bulk()
        incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other")
    assert stale_days(force) == {dt.date(2026, 3, 2)}
    changed, release, failures = threading.Event(), threading.Event(), []

    def writer():
        try:
            with transaction.atomic():
                bulk()
                Incident.objects.filter(pk=incident.pk).update(category="missing_person")
                changed.set()
                if not release.wait(30):
                    failures.append("never released")
        except Exception as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    w = threading.Thread(target=writer)
    w.start()
    try:
        assert changed.wait(30)
        assert summary.refresh() == 0  # the writer's day is skipped, not built without it
        assert stale_days(force) == {dt.date(2026, 3, 2)}
        assert not IncidentDay.objects.filter(organisation=force).exists()
    finally:
        release.set()
        w.join(30)
    assert failures == []
    assert summary.refresh() == 1
    assert stale_days(force) == set()
    assert IncidentDay.objects.get(organisation=force).category == "missing_person"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("during", ["fold", "rebuild"])
def test_a_delta_writer_open_during_a_fold_or_a_rebuild_is_counted_once(force, maker, during):
    """A writer's delta is not yet committed while a fold, or a rebuild of its (stale) day,
    runs: the fold leaves it (it cannot see it), the rebuild neither counts the change nor
    deletes the delta; once the writer commits, the figures and the next fold count it exactly
    once."""
    incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other")
    maker.incident(force, london(2026, 3, 2, 11, 0), "other")
    summary.refresh()
    if during == "rebuild":
        StaleDay.objects.create(
            organisation=force, day=dt.date(2026, 3, 2), marked_at=dt.datetime.now(dt.UTC)
        )
    changed, release, failures = threading.Event(), threading.Event(), []

    def writer():
        try:
            with transaction.atomic():
                Incident.objects.filter(pk=incident.pk).update(category="missing_person")
                changed.set()
                if not release.wait(30):
                    failures.append("never released")
        except Exception as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()

    w = threading.Thread(target=writer)
    w.start()
    try:
        assert changed.wait(30)
        assert summary.refresh() == (0 if during == "fold" else 1)
        assert deltas(force) == []
    finally:
        release.set()
        w.join(30)
    assert failures == []
    assert len(deltas(force)) == 2
    scope = Scope(force.pk, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    counts = rows(queries.by_category(scope))
    assert (counts["Other"], counts["Missing person"]) == (1, 1)
    assert summary.refresh() == 2
    assert (summary_rows(IncidentDay, force), summary_rows(IncidentMonth, force)) == rebuilt(force)


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_folds_deltas_on_a_live_worker(celery_worker, force, maker):
    maker.incident(force, london(2026, 3, 2, 10, 0), "other")
    assert deltas(force)
    refresh_summaries.delay()
    wait_for(lambda: not deltas(force), timeout=60, message="the worker to fold the deltas")
    assert IncidentDay.objects.get(organisation=force).incidents == 1


def links(incident):
    return list(
        PersonIncident.objects.filter(incident_id=incident.pk)
        .order_by("person_id")
        .values_list("person_id", "occurred_at", "category", "npu_id")
    )


def test_people_links_copy_their_incident_and_follow_every_change(force, maker):
    a, b = maker.person(force), maker.person(force)
    incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other", people=(a, b))
    at = london(2026, 3, 2, 10, 0)
    assert links(incident) == [(a.pk, at, "other", None), (b.pk, at, "other", None)]
    incident.people.remove(b)
    assert [r[0] for r in links(incident)] == [a.pk]
    Incident.objects.filter(pk=incident.pk).update(
        occurred_at=london(2026, 4, 1, 9, 0), category="missing_person"
    )
    assert links(incident) == [(a.pk, london(2026, 4, 1, 9, 0), "missing_person", None)]
    Incident.people.through.objects.filter(incident_id=incident.pk).update(person_id=b.pk)
    assert [r[0] for r in links(incident)] == [b.pk]
    incident.delete()
    assert links(incident) == []


@pytest.mark.django_db(transaction=True)
def test_a_link_added_while_its_incident_is_being_moved_copies_the_new_time(force, maker):
    """The link's copy reads the incident FOR SHARE: while another transaction has the incident
    updated but not committed, adding a person waits, then copies the committed time."""
    person = maker.person(force)
    incident = maker.incident(force, london(2026, 3, 2, 10, 0), "other")
    moved, release, failures = threading.Event(), threading.Event(), []

    def mover():
        try:
            with transaction.atomic():
                Incident.objects.filter(pk=incident.pk).update(occurred_at=london(2026, 5, 1, 8, 0))
                moved.set()
                if not release.wait(30):
                    failures.append("never released")
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    def linker():
        try:
            Incident.people.through.objects.create(incident_id=incident.pk, person_id=person.pk)
        except Exception as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    m = threading.Thread(target=mover)
    m.start()
    assert moved.wait(30)
    link = threading.Thread(target=linker)
    link.start()

    def linker_waits_on_the_incident():
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE '%%incidents_incident_people%%'"
            )
            return cursor.fetchone()[0] == 1

    try:
        wait_for(linker_waits_on_the_incident, timeout=30, message="the link to wait")
    finally:
        release.set()
        m.join(30)
        link.join(30)
    assert failures == []
    assert links(incident) == [(person.pk, london(2026, 5, 1, 8, 0), "other", None)]


def test_person_totals_follow_the_links(force, maker):
    a, b = maker.person(force), maker.person(force)
    first = maker.incident(force, london(2026, 3, 2, 10, 0), "other", people=(a, b))
    maker.incident(force, london(2026, 3, 3, 10, 0), "other", people=(a,))

    def totals():
        return dict(
            PersonTotal.objects.filter(organisation=force).values_list("person_id", "incidents")
        )

    assert totals() == {a.pk: 2, b.pk: 1}
    Incident.objects.filter(pk=first.pk).update(occurred_at=london(2026, 4, 1, 9, 0))
    assert totals() == {a.pk: 2, b.pk: 1}
    first.people.remove(a)
    assert totals() == {a.pk: 1, b.pk: 1}
    first.delete()
    assert totals() == {a.pk: 1, b.pk: 0}


@pytest.mark.parametrize("rounds", [(1,), (2, 5), (100,)])
def test_early_stopping_ranks_exactly_as_counting_everyone(force, maker, monkeypatch, rounds):
    """Random incidents, people and places; for many scopes the early-stopping rankings must
    equal the rankings of every person (ties broken by last incident, then id) and of every
    place (healthcare settings first, then incidents, then key)."""
    monkeypatch.setattr(queries, "CANDIDATE_ROUNDS", rounds)
    monkeypatch.setattr(queries, "EARLY_STOP_DAYS", 0)
    monkeypatch.setattr(queries, "LOCATION_ROUNDS", rounds)
    monkeypatch.setattr(queries, "LOCATION_EARLY_STOP_DAYS", 0)
    rng = random.Random(136)
    places = [(f"pc:AB{i} 1CD|place {i}", i % 3 == 0) for i in range(10)]
    npus = [None, *NPU.objects.filter(force=force)[:2]]
    people = [maker.person(force) for _ in range(25)]
    weights = [rng.choice([1, 1, 2, 5, 9]) for _ in people]
    for _ in range(90):
        at = london(2026, 1, 1, 0, 0) + dt.timedelta(minutes=rng.randrange(180 * 24 * 60))
        on = set(rng.choices(people, weights=weights, k=rng.randint(1, 3)))
        category = rng.choice(["other", "missing_person"])
        key, healthcare = rng.choices(places, weights=range(1, 11))[0]
        maker.incident(
            force,
            at,
            category,
            npu=rng.choice(npus),
            people=tuple(on),
            location_key=key,
            healthcare=healthcare and rng.random() < 0.8,
        )
    checked = 0
    for date_from, date_to in [((2026, 1, 1), (2026, 6, 30)), ((2026, 2, 1), (2026, 2, 20))]:
        for npu in npus:
            for category in [None, "other"]:
                scope = Scope(
                    force.pk,
                    dt.date(*date_from),
                    dt.date(*date_to),
                    npu_id=npu.pk if npu else None,
                    category=category,
                )
                links = queries.person_links(scope)
                for minimum, limit in [(1, 3), (2, 5), (3, 4)]:
                    every = queries._ranked_people(links, minimum, limit)
                    assert queries._top_people(scope, links, minimum, limit) == every
                    every = queries._ranked_locations(queries.incidents(scope), minimum, limit)
                    assert queries._top_locations(scope, minimum, limit) == every
                    checked += 1
    assert checked == 36


def test_location_totals_follow_the_incidents(force, maker):
    def totals():
        return {
            key: (n, h)
            for key, n, h in LocationTotal.objects.filter(organisation=force).values_list(
                "location_key", "incidents", "healthcare"
            )
        }

    one = maker.incident(force, london(2026, 3, 2, 10, 0), "other", location_key="k1")
    maker.incident(force, london(2026, 3, 3, 10, 0), "other", location_key="k1", healthcare=True)
    maker.incident(force, london(2026, 3, 3, 11, 0), "other")  # no location: not counted
    assert totals() == {"k1": (2, 1)}
    Incident.objects.filter(pk=one.pk).update(category="missing_person")  # nothing counted moves
    assert totals() == {"k1": (2, 1)}
    Incident.objects.filter(pk=one.pk).update(location_key="k2", healthcare_setting=True)
    assert totals() == {"k1": (1, 1), "k2": (1, 1)}
    one.delete()
    assert totals() == {"k1": (1, 1), "k2": (0, 0)}


def test_location_npu_totals_follow_the_incidents_and_their_npu(force, maker):
    north, central = force.npus.get(code="NPU-N"), force.npus.get(code="NPU-C")

    def totals():
        return {
            (npu, key): (n, h)
            for npu, key, n, h in LocationNpuTotal.objects.filter(organisation=force).values_list(
                "npu__code", "location_key", "incidents", "healthcare"
            )
        }

    one = maker.incident(force, london(2026, 3, 2, 10, 0), "other", location_key="k1", npu=north)
    maker.incident(
        force, london(2026, 3, 3, 10, 0), "other", location_key="k1", healthcare=True, npu=north
    )
    maker.incident(force, london(2026, 3, 3, 11, 0), "other", location_key="k1")  # no NPU
    assert totals() == {("NPU-N", "k1"): (2, 1)}
    Incident.objects.filter(pk=one.pk).update(category="missing_person")  # nothing counted moves
    assert totals() == {("NPU-N", "k1"): (2, 1)}
    Incident.objects.filter(pk=one.pk).update(npu=central)
    assert totals() == {("NPU-N", "k1"): (1, 1), ("NPU-C", "k1"): (1, 0)}
    one.delete()
    assert totals() == {("NPU-N", "k1"): (1, 1), ("NPU-C", "k1"): (0, 0)}


def test_refresh_reporting_all_rebuilds_a_damaged_summary(force, maker):
    maker.incident(force, london(2026, 3, 2, 10, 0), "other")
    summary.refresh()
    IncidentDay.objects.filter(organisation=force).update(incidents=99)  # damage it
    out = io.StringIO()
    call_command("refresh_reporting", "--all", stdout=out)
    assert "1 stale days and detentions rebuilt" in out.getvalue()
    assert IncidentDay.objects.get(organisation=force).incidents == 1


INCIDENT_FIGURES = [
    queries.volumes,
    queries.by_category,
    queries.heatmap,
    queries.rcrp,
    queries.rcrp_passed_to,
    queries.officer_hours,
]


def test_a_thousand_scattered_changes_cost_one_delta_each_never_a_day_counted_again(
    force, monkeypatch
):
    """No cliff: changes on 1,000 separate days of a six-year range are read as deltas with the
    summaries, in as many queries as one change; as stale days (a bulk load's), each is counted
    live on its own (never the whole range) or rebuilt on demand; the figures are exact every
    way."""
    rng = random.Random(24)
    npus = list(force.npus.all())
    first = dt.date(2020, 1, 1)
    days = [first + dt.timedelta(n) for n in range(6 * 365)]
    Incident.objects.bulk_create(
        Incident(
            organisation=force,
            reference=f"B-{n}",
            occurred_at=london(day.year, day.month, day.day, rng.randint(0, 23), 30),
            category=rng.choice(["crisis_or_welfare_check", "missing_person"]),
            npu=rng.choice(npus),
            rcrp_threshold=rng.choice(["", "none", "crime"]),
        )
        for n, day in enumerate(days * 2)
    )
    summary.refresh()

    def figures():
        scope = Scope(force.pk, first, days[-1])
        with CaptureQueriesContext(connection) as queries_run:
            tables = {f.__name__: f(scope).rows for f in INCIDENT_FIGURES}
        return tables, len(queries_run)

    def change(day, category):
        after = day + dt.timedelta(1)
        Incident.objects.filter(
            occurred_at__gte=london(day.year, day.month, day.day),
            occurred_at__lt=london(after.year, after.month, after.day),
        ).update(category=category, rcrp_threshold="risk_to_life")

    change(days[0], "other")
    _tables, with_one_change = figures()
    # A change on each of 1,000 days, no two of them next to each other.
    changed = sorted(rng.sample(days[2::2], 1000))
    for day in changed:
        change(day, "other")
    assert not StaleDay.objects.exists()
    assert IncidentDelta.objects.count() >= 2000
    split = Split(force.pk, first, days[-1], use_months=True)
    assert split.live == [] and split.summary and split.months
    with_deltas, queries_with_deltas = figures()
    assert queries_with_deltas == with_one_change
    # The truth: every day with incidents counted live (no on-demand rebuild).
    monkeypatch.setattr(summary, "ON_DEMAND_DAYS", 10_000)
    call_command("refresh_reporting", "--all", stdout=io.StringIO())  # folds, rebuilds
    summarised, _n = figures()
    for day in days:
        StaleDay.objects.create(organisation=force, day=day, marked_at=dt.datetime.now(dt.UTC))
    live, _n = figures()
    assert with_deltas == summarised == live
    StaleDay.objects.all().delete()

    # Many deltas in the range: folded on demand (bounded), then read from the summaries.
    for day in changed:
        change(day, "missing_person")
    monkeypatch.setattr(summary, "ON_DEMAND_DELTAS", 100)
    on_demand, _n = figures()
    assert not IncidentDelta.objects.exists()

    # The same burst as a bulk load's: stale days, counted live run by run (never the whole
    # range), then rebuilt on demand in a bounded number of statements.
    with transaction.atomic():
        bulk()
        change(days[0], "other")
    _tables, with_one_stale_day = figures()
    with transaction.atomic():
        bulk()
        for day in changed:
            change(day, "other")
    stale = set(StaleDay.objects.values_list("day", flat=True))
    assert len(stale) == 1001 and not IncidentDelta.objects.exists()
    split = Split(force.pk, first, days[-1], use_months=True)
    assert len(split.live) == 1001 and (first, days[-1]) not in split.live
    stale_live, queries_with_stale = figures()
    assert queries_with_stale <= with_one_stale_day  # (no whole month left: one tier fewer)
    monkeypatch.setattr(summary, "ON_DEMAND_DAYS", 60)
    rebuilt_on_demand, queries_on_demand = figures()
    assert not StaleDay.objects.exists()
    assert queries_on_demand <= with_one_stale_day + 10 * (math.ceil(len(stale) / 366) + 1)
    assert stale_live == rebuilt_on_demand == with_deltas
    assert on_demand != with_deltas  # (the second burst changed the figures back)
