"""Two health staff accepting the same handover at the same instant: one wins, the other is
refused, and there is one A4 record (the detention row lock in detentions/handover.py)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from core.actor import acting_as, user_actor
from detentions import handover as svc
from detentions.errors import RuleViolation
from detentions.models import Handover, HandoverRequest

from .conftest import ASKED

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_accepts_make_one_handover(d, officer, nurse):
    with acting_as(user_actor(officer)):
        hreq = svc.request_handover(d, now=ASKED)
    results = []
    barrier = threading.Barrier(2)

    def attempt(name):
        try:
            barrier.wait()
            with acting_as(user_actor(nurse)):
                svc.accept_handover(
                    HandoverRequest.objects.get(pk=hreq.pk),
                    received_by=name,
                    police_must_stay=False,
                    now=ASKED + dt.timedelta(minutes=10),
                )
            results.append("ok")
        except RuleViolation as exc:
            results.append(exc.violations[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("Kate", "Ann")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["handover_already_answered", "ok"]
    assert Handover.objects.filter(detention=d).count() == 1
