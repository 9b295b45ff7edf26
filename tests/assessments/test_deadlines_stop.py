"""Deadlines stop counting once the detention has ended, everywhere: the assessment page, the
worklists, the board, the API's `deadlines` and the alerts (one answer:
`detentions.deadlines.counting`; the alerts sweep asks the same in SQL)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from alerts.models import Alert, AlertKind
from alerts.sweep import sweep
from assessments import services
from detentions import deadlines
from detentions.models import Detention

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def pair(make_detention, suite, area):
    """Two detentions whose clocks started at START; one ends an hour later, no assessment."""
    with time_machine.travel(START, tick=False):
        running = make_detention(
            suite, detained_at=START - dt.timedelta(minutes=20), arrived_at=START
        )
        ended = make_detention(
            suite, detained_at=START - dt.timedelta(minutes=25), arrived_at=START
        )
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        services.record_outcome(ended, outcome="discharged_no_follow_up")
    return Detention.objects.get(pk=running.pk), Detention.objects.get(pk=ended.pk)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_one_answer(pair):
    running, ended = pair
    # A health-based place: the handover target (A4) counts too, until the handover.
    assert list(deadlines.counting(running)) == ["handover", "assessment", "expiry"]
    assert deadlines.counting(ended) == {}
    assert ended.assessment_due_at == START + dt.timedelta(hours=3)  # the record keeps it


def test_an_ended_detention_counts_down_nowhere(pair, amhp, officer, force, api_as):
    running, ended = pair
    for at in (dt.timedelta(hours=2, minutes=30), dt.timedelta(hours=4)):
        with time_machine.travel(START + at, tick=False):
            # The assessment page: no countdown to the target once ended.
            page = _client(amhp).get(f"/assessments/detentions/{ended.pk}/")
            target = page.context["d"].target
            assert target["done"] and target.get("not_begun")
            html = page.content.decode()
            assert "data-countdown-to" not in html
            live = _client(amhp).get(f"/assessments/detentions/{running.pk}/")
            assert 'data-countdown-to="2026-03-10T12:00:00Z"' in live.content.decode()
            # The detention page: ended, nothing counts down, no advice to chase anyone.
            html = _client(officer).get(f"/detentions/{ended.pk}/").content.decode()
            assert "data-countdown" not in html and "Chase the AMHP" not in html
            # The worklist and the board list only what runs.
            rows = _client(amhp).get("/assessments/worklist/").context["rows"]
            assert [r.pk for r in rows] == [running.pk]
            board = _client(officer).get("/detentions/").context["rows"]
            assert ended.pk not in [r.pk for r in board]
            # The API: nothing counting on the ended record; the running one counts.
            api = api_as(officer)
            assert api.get(f"/api/v1/detentions/{ended.pk}/").json()["deadlines"] == []
            body = api.get(f"/api/v1/detentions/{running.pk}/").json()
            # The targets still count (overdue at 4 h) until they are met.
            assert [x["kind"] for x in body["deadlines"]] == ["handover", "assessment", "expiry"]
    # The alerts: past the target, only the running detention is alerted.
    sweep(now=START + dt.timedelta(hours=4))
    missed = Alert.objects.filter(kind=AlertKind.ASSESSMENT_TARGET_MISSED)
    assert list(missed.values_list("detention_id", flat=True)) == [running.pk]


def test_the_board_band_stops_with_the_assessment_start(pair, officer):
    running, _ended = pair
    with time_machine.travel(START + dt.timedelta(hours=2, minutes=45), tick=False):
        row = next(
            r for r in _client(officer).get("/detentions/").context["rows"] if r.pk == running.pk
        )
        assert row.assessment_band is not None
        services.record_assessment_progress(
            running, started_at=START + dt.timedelta(hours=2, minutes=40)
        )
        row = next(
            r for r in _client(officer).get("/detentions/").context["rows"] if r.pk == running.pk
        )
        assert row.assessment_band is None
