"""Protocol review and training refresher reminders raised, closed and shown as alerts."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from alerts import addressing
from alerts.models import Alert, AlertKind, Delivery
from alerts.sweep import sweep
from tests.advisers.helpers import sign_in

pytestmark = pytest.mark.django_db

DAY = 1440
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def utc(*a):
    return dt.datetime(*a, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def every_sweep(settings):
    """Read the reminder sources on every sweep (the once-a-minute gate is tested below)."""
    settings.ALERTS = {**settings.ALERTS, "REMINDERS_EVERY_SECONDS": 0}


@pytest.fixture
def lead(make_user, force):
    user = make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="inspector")
    user.email = "mhlead@midshire.police.example"
    user.save()
    return user


@pytest.fixture
def officer(make_user, force):
    user = make_user("pc-rees", force, Role.RESPONSE_OFFICER)
    user.email = "rees@midshire.police.example"
    user.save()
    return user


def upload(force, partner, by, *, review_due_on, version="1.0", supersedes=None):
    from protocols.services import upload_protocol

    return upload_protocol(
        force=force,
        partner=partner,
        topic="s136_places_of_safety",
        title="s136 and places of safety",
        version=version,
        owner="Ch Insp R. Shah",
        signed_on=dt.date(2025, 7, 1),
        review_due_on=review_due_on,
        upload=SimpleUploadedFile("protocol.pdf", PDF, content_type="application/pdf"),
        by=by,
        supersedes=supersedes,
    )


@pytest.fixture
def protocol(force, health_trust, lead):
    with time_machine.travel(utc(2026, 1, 5, 12), tick=False):
        return upload(force, health_trust, lead, review_due_on=dt.date(2026, 7, 1))


def complete(user, course, on, *, at):
    from training.services import record_training

    with time_machine.travel(at, tick=False):
        return record_training(user=user, course=course, completed_on=on)


def reminders(**filters):
    return list(
        Alert.objects.filter(
            kind__in=[AlertKind.PROTOCOL_REVIEW_DUE, AlertKind.TRAINING_REFRESHER_DUE], **filters
        ).order_by("due_at")
    )


def sweep_at(when):
    with time_machine.travel(when, tick=False):
        return sweep(now=when)


# 30 days before 1 July 2026 is 1 June, 00:00 BST = 31 May 23:00Z; on the day: 30 June 23:00Z.
AT_30 = utc(2026, 5, 31, 23, 0)
ON_THE_DAY = utc(2026, 6, 30, 23, 0)


def test_a_protocol_review_raises_once_thirty_days_before_and_once_on_the_day(
    protocol, force, lead
):
    sweep_at(AT_30 - dt.timedelta(minutes=1))
    assert reminders() == []
    for when in (AT_30, AT_30 + dt.timedelta(seconds=10), AT_30 + dt.timedelta(days=3)):
        sweep_at(when)
    (alert,) = reminders()
    assert (alert.kind, alert.protocol_id, alert.threshold_minutes, alert.due_at) == (
        AlertKind.PROTOCOL_REVIEW_DUE,
        protocol.pk,
        30 * DAY,
        AT_30,
    )
    assert alert.raised_at == AT_30 and alert.detention_id is None
    assert alert.organisations == [force.pk]
    assert set(alert.roles) == {Role.MH_TACTICAL_ADVISER, Role.ADMINISTRATOR}
    assert alert.history.filter(history_type="+").count() == 1
    assert Delivery.objects.filter(alert=alert, address=lead.email).count() == 1

    for when in (ON_THE_DAY, ON_THE_DAY + dt.timedelta(minutes=5)):
        sweep_at(when)
    found = reminders()
    assert [(a.threshold_minutes, a.due_at) for a in found] == [
        (30 * DAY, AT_30),
        (0, ON_THE_DAY),
    ]
    assert all(a.closed_at is None for a in found)


def test_reminders_are_never_escalated(protocol, settings):
    sweep_at(AT_30)
    result = sweep_at(AT_30 + settings.ALERTS["ESCALATE_AFTER"] * 10)
    assert result.escalated == []
    (alert,) = reminders()
    assert alert.escalation_level == 0
    assert addressing.max_level(AlertKind.PROTOCOL_REVIEW_DUE) == 0
    assert addressing.max_level(AlertKind.TRAINING_REFRESHER_DUE) == 0


def test_superseding_the_protocol_closes_its_reminder(protocol, force, health_trust, lead):
    sweep_at(AT_30)
    with time_machine.travel(AT_30 + dt.timedelta(days=2), tick=False):
        v2 = upload(
            force,
            health_trust,
            lead,
            review_due_on=dt.date(2028, 7, 1),
            version="2.0",
            supersedes=protocol,
        )
    result = sweep_at(AT_30 + dt.timedelta(days=2, minutes=1))
    (alert,) = reminders()
    assert alert.pk in result.closed
    assert alert.closed_reason == "protocol_superseded"
    assert alert.history.latest("history_date").history_change_reason == "no longer applies"
    # The new version's review is two years off: nothing raised for it, nothing re-raised.
    sweep_at(ON_THE_DAY)
    assert reminders(protocol=v2) == [] and len(reminders()) == 1


def test_a_changed_review_date_closes_the_reminder_for_the_old_date(protocol):
    from protocols.models import Protocol

    sweep_at(AT_30)
    Protocol.objects.filter(pk=protocol.pk).update(review_due_on=dt.date(2026, 9, 1))
    sweep_at(AT_30 + dt.timedelta(minutes=1))
    (alert,) = reminders()
    assert alert.closed_reason == "deadline_changed"


# A CPD course completed 20 May 2025 is due a refresher on 20 May 2026; 30 days before is
# 20 April 2026, 00:00 BST = 19 April 23:00Z.
REFRESHER_30 = utc(2026, 4, 19, 23, 0)


@pytest.fixture
def record(officer):
    return complete(officer, "MHTA-CPD", dt.date(2025, 5, 20), at=utc(2025, 6, 1, 9))


def test_a_training_refresher_raises_once_to_the_lead_and_the_officer(record, officer, lead, force):
    assert record.refresher_due_on == dt.date(2026, 5, 20)
    sweep_at(REFRESHER_30 - dt.timedelta(minutes=1))
    assert reminders() == []
    for when in (REFRESHER_30, REFRESHER_30 + dt.timedelta(hours=1)):
        sweep_at(when)
    (alert,) = reminders()
    assert (alert.kind, alert.training_record_id, alert.threshold_minutes, alert.due_at) == (
        AlertKind.TRAINING_REFRESHER_DUE,
        record.pk,
        30 * DAY,
        REFRESHER_30,
    )
    assert alert.organisations == [force.pk] and alert.roles == [Role.MH_TACTICAL_ADVISER]
    addresses = sorted(Delivery.objects.filter(alert=alert).values_list("address", flat=True))
    assert addresses == sorted([lead.email, officer.email])


def test_a_newer_completion_closes_the_refresher_reminder(record, officer):
    sweep_at(REFRESHER_30)
    complete(officer, "MHTA-CPD", dt.date(2026, 4, 22), at=utc(2026, 4, 22, 10))
    result = sweep_at(utc(2026, 4, 22, 10, 1))
    (alert,) = reminders()
    assert alert.pk in result.closed and alert.closed_reason == "training_refreshed"
    # The new completion's refresher is a year away: nothing new.
    sweep_at(utc(2026, 5, 21))
    assert len(reminders()) == 1


def test_the_inbox_shows_reminders_to_the_mh_lead_with_working_links(
    protocol, record, officer, lead, client, make_user, force, django_assert_max_num_queries
):
    sweep_at(AT_30)  # both have fallen due by then
    assert {a.kind for a in reminders()} == {
        AlertKind.PROTOCOL_REVIEW_DUE,
        AlertKind.TRAINING_REFRESHER_DUE,
    }
    web = sign_in(client, lead)
    page = web.get("/alerts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Protocol review due" in html and "Training refresher due" in html
    assert html.count("For your role") == 2
    protocol_url = f"/protocols/{protocol.pk}/"
    officer_url = f"/training/officers/{officer.pk}/"
    assert f'href="{protocol_url}"' in html and f'href="{officer_url}"' in html
    assert "s136 and places of safety v1.0" in html
    assert "due for review in 30 days, on 1 July 2026" in html
    assert web.get(protocol_url).status_code == 200
    assert web.get(officer_url).status_code == 200
    # More reminders, same number of queries.
    with django_assert_max_num_queries(60) as captured:
        web.get("/alerts/")
    before = len(captured.captured_queries)
    for n in range(3):
        more = make_user(f"pc-{n}", force, Role.RESPONSE_OFFICER)
        complete(more, "MHTA-CPD", dt.date(2025, 5, 20), at=utc(2025, 6, 1, 9))
    sweep_at(AT_30 + dt.timedelta(minutes=1))
    assert len(reminders()) == 5
    with django_assert_max_num_queries(before):
        assert web.get("/alerts/").content.decode().count("For your role") == 5


def test_an_outsider_does_not_see_the_reminders(protocol, record, client, outsider_officer):
    sweep_at(AT_30)
    html = sign_in(client, outsider_officer).get("/alerts/").content.decode()
    assert "Protocol review due" not in html and "Training refresher due" not in html


def test_the_api_gives_the_new_subjects_as_extra_fields(protocol, api_for, force, other_force):
    sweep_at(AT_30)
    body = api_for(force, "alerts:read").get("/api/v1/alerts/").json()
    (row,) = body["results"]
    assert row["kind"] == "protocol_review_due" and row["protocol"] == protocol.pk
    assert row["detention"] is None and row["referral"] is None
    assert row["training_record"] is None and row["threshold_minutes"] == 30 * DAY
    assert api_for(other_force, "alerts:read").get("/api/v1/alerts/").json()["count"] == 0


def test_the_reminder_sources_are_read_at_most_once_a_minute(protocol, settings, monkeypatch):
    from django.core.cache import cache

    from alerts import sweep as sweeping

    settings.ALERTS = {**settings.ALERTS, "REMINDERS_EVERY_SECONDS": 60}
    calls = []
    real = sweeping._reminder_sources

    def counting():
        calls.append(1)
        return real()

    monkeypatch.setattr(sweeping, "_reminder_sources", counting)
    minute = utc(2026, 5, 31, 23, 0)
    for when in (minute, minute + dt.timedelta(minutes=1)):
        cache.delete(sweeping.reminder_gate_key(when))
    for seconds in (0, 10, 20, 50):
        sweep_at(minute + dt.timedelta(seconds=seconds))
    assert len(calls) == 1 and len(reminders()) == 1
    sweep_at(minute + dt.timedelta(seconds=60))
    assert len(calls) == 2 and len(reminders()) == 1
