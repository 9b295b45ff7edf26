"""Officers' waiting time for health staff feeds the cost figures (reporting.queries)."""

import datetime as dt

import pytest
from django.conf import settings

from core.actor import acting_as, user_actor
from detentions import handover as svc
from reporting import queries
from reporting.queries import Scope

from .conftest import ASKED

pytestmark = pytest.mark.django_db


def test_waiting_for_an_answer_and_until_released_is_counted_and_costed(d, force, officer, nurse):
    with acting_as(user_actor(officer)):
        hreq = svc.request_handover(d, now=ASKED)
    with acting_as(user_actor(nurse)):
        svc.accept_handover(
            hreq,
            received_by="Kate",
            police_must_stay=True,
            stay_reason="Risk of violence",
            now=ASKED + dt.timedelta(minutes=30),
        )
        svc.release_police(hreq, now=ASKED + dt.timedelta(minutes=90))
    scope = Scope(
        force.pk, dt.date(2026, 6, 1), dt.date(2026, 6, 30), now=ASKED + dt.timedelta(days=1)
    )
    table = queries.handover_waits(scope)
    rows = {str(k): v for k, v in table.rows}
    assert rows["Handover requests"] == 1 and rows["Answered"] == 1 and rows["Declined"] == 0
    assert rows["Officer hours waiting for an answer"] == 0.5
    assert rows["Officer hours until police were released"] == 1.5
    cost = float(settings.HARBOUR.get("OFFICER_HOURLY_COST", 42.0))
    assert rows["Cost of that time (£)"] == round(1.5 * cost)
    other = Scope(force.pk, dt.date(2026, 7, 1), dt.date(2026, 7, 31), now=ASKED)
    assert {str(k): v for k, v in queries.handover_waits(other).rows}["Handover requests"] == 0
