"""Review reminders: due once per threshold (30 days before and on the day), as plain records."""

import datetime as dt

import pytest
import time_machine

from protocols.reminders import due_reminders

pytestmark = pytest.mark.django_db


def utc(*a):
    return dt.datetime(*a, tzinfo=dt.UTC)


def keyed(reminders):
    return {(r.subject, r.subject_id, r.kind, r.threshold_days, r.due_at) for r in reminders}


def test_thirty_days_before_and_on_the_day(make_protocol, force):
    with time_machine.travel(utc(2026, 1, 5, 12), tick=False):
        p = make_protocol(review_due_on=dt.date(2026, 7, 1), signed_on=dt.date(2025, 7, 1))
    # 30 days before 1 July is 1 June, 00:00 BST = 31 May 23:00Z.
    assert due_reminders(utc(2026, 5, 31, 22, 59)) == []
    at_30 = due_reminders(utc(2026, 5, 31, 23, 0))
    assert keyed(at_30) == {
        ("protocols.protocol", p.pk, "protocol_review_due", 30, utc(2026, 5, 31, 23, 0))
    }
    r = at_30[0]
    assert r.organisation_id == force.pk and "mh_tactical_adviser" in r.roles
    # Idempotent: asking again gives the same record (the alert app raises it once).
    assert keyed(due_reminders(utc(2026, 6, 15))) == keyed(at_30)
    on_the_day = due_reminders(utc(2026, 6, 30, 23, 0))  # 00:00 BST on 1 July
    assert keyed(on_the_day) == keyed(at_30) | {
        ("protocols.protocol", p.pk, "protocol_review_due", 0, utc(2026, 6, 30, 23, 0))
    }


def test_a_protocol_stored_late_gets_only_the_most_pressing_reminder(make_protocol):
    with time_machine.travel(utc(2026, 3, 1, 12), tick=False):
        p = make_protocol(review_due_on=dt.date(2026, 2, 20), signed_on=dt.date(2025, 2, 20))
        found = due_reminders()
    assert [(r.subject_id, r.threshold_days) for r in found] == [(p.pk, 0)]


def test_a_superseded_protocol_has_no_reminders(make_protocol):
    with time_machine.travel(utc(2026, 1, 5, 12), tick=False):
        v1 = make_protocol(review_due_on=dt.date(2026, 2, 1))
        make_protocol(version="2", supersedes=v1, review_due_on=dt.date(2028, 2, 1))
    assert due_reminders(utc(2026, 3, 1)) == []


def test_gmt_due_instant_in_winter(make_protocol):
    with time_machine.travel(utc(2025, 10, 1, 12), tick=False):
        p = make_protocol(review_due_on=dt.date(2026, 1, 31), signed_on=dt.date(2025, 1, 31))
    found = due_reminders(utc(2026, 1, 1, 0, 0))  # 30 days before: 1 Jan, 00:00 GMT
    assert [(r.subject_id, r.threshold_days, r.due_at) for r in found] == [
        (p.pk, 30, utc(2026, 1, 1, 0, 0))
    ]


def test_a_consumer_that_raises_each_key_once_raises_each_threshold_exactly_once(make_protocol):
    """What the alert sweep will do (a unique key per subject, kind and threshold): run every
    hour for three months; each reminder is new exactly once, at its due instant or the first
    sweep after it."""
    with time_machine.travel(utc(2026, 4, 1, 9), tick=False):
        p = make_protocol(review_due_on=dt.date(2026, 6, 15), signed_on=dt.date(2025, 6, 15))
    raised: dict[tuple, dt.datetime] = {}
    at = utc(2026, 4, 1, 10)
    while at < utc(2026, 7, 1):
        for r in due_reminders(at):
            key = (r.subject, r.subject_id, r.kind, r.threshold_days)
            raised.setdefault(key, at)
        at += dt.timedelta(hours=1)
    assert raised == {
        ("protocols.protocol", p.pk, "protocol_review_due", 30): utc(2026, 5, 15, 23),
        ("protocols.protocol", p.pk, "protocol_review_due", 0): utc(2026, 6, 14, 23),
    }
