"""Retention review (deletion only after a recorded decision, audited) and subject access
export (everything about a person, as a zip of CSV and JSON, for authorised roles only)."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.utils import timezone

from accounts.roles import Role
from audit.models import AccessLog
from detentions import services as svc
from detentions.models import Detention
from incidents.models import Incident
from privacy import services
from privacy.models import RetentionReview
from tests.security.otp import sign_in

pytestmark = pytest.mark.django_db

LATER = dt.datetime(2036, 1, 1, 12, 0, tzinfo=dt.UTC)  # ten years on: past every period


@pytest.fixture
def ended(world):
    svc.end_detention(
        world.detention,
        ended_at=world.detention.detained_at + dt.timedelta(hours=10),
        outcome=Detention._meta.get_field("outcome").choices[0][0],
        now=world.detention.detained_at + dt.timedelta(hours=10, minutes=1),
    )
    world.detention.refresh_from_db()
    return world


def test_records_past_retention_are_listed_for_administrators_and_auditors(
    ended, client, time_machine
):
    time_machine.move_to(LATER, tick=False)
    world = ended
    assert list(services.past_retention(world.force, "detentions")) == [world.detention]
    assert world.incident in services.past_retention(world.force, "incidents")
    # Not the person: their incident, detention and referral are still held (only the
    # person with nothing left about them is listed).
    assert list(services.past_retention(world.force, "people")) == [world.person2]
    for who in ("admin", "auditor"):
        page = sign_in(client, world.users[who]).get("/privacy/retention/")
        assert page.status_code == 200
        assert world.detention.reference in page.content.decode()
    for who in ("officer", "mhlead", "nurse", "outsider"):
        assert sign_in(client, world.users[who]).get("/privacy/retention/").status_code == 403


def test_an_open_detention_is_never_past_retention(world, time_machine):
    time_machine.move_to(LATER, tick=False)
    assert not services.past_retention(world.force, "detentions").exists()


def test_deletion_only_after_a_recorded_decision_and_it_is_audited(ended, client, time_machine):
    time_machine.move_to(LATER, tick=False)
    world = ended
    admin = sign_in(client, world.users["admin"])
    url = f"/privacy/retention/detentions/{world.detention.pk}/review/"
    # A decision needs a reason.
    r = admin.post(url, {"decision": "delete", "reason": ""})
    assert r.status_code == 400 and "Give the reason" in r.content.decode()
    # Keeping needs a date; a keep decision takes the record off the list until then.
    r = admin.post(url, {"decision": "keep", "reason": "Complaint open", "keep_until": ""})
    assert r.status_code == 400
    r = admin.post(
        url, {"decision": "keep", "reason": "Complaint open", "keep_until": "31/12/2036"}
    )
    assert r.status_code == 302
    assert not services.past_retention(world.force, "detentions").exists()
    keep = RetentionReview.objects.get()
    # A keep decision never allows deletion.
    with pytest.raises(services.RetentionRefused):
        services.delete_reviewed_record(keep, by=world.users["admin"])

    time_machine.move_to(dt.datetime(2037, 1, 2, tzinfo=dt.UTC), tick=False)
    admin = sign_in(client, world.users["admin"])  # a year later: a new session
    assert (
        admin.post(url, {"decision": "delete", "reason": "Past retention, no holds"}).status_code
        == 302
    )
    decision = RetentionReview.objects.filter(decision="delete").get()
    r = admin.post(f"/privacy/retention/decisions/{decision.pk}/delete/")
    assert r.status_code == 302
    assert not Detention.objects.filter(pk=world.detention.pk).exists()
    decision.refresh_from_db()
    assert decision.deleted_at is not None and decision.deleted_by == world.users["admin"]
    deleted = Detention.history.filter(id=world.detention.pk, history_type="-").get()
    assert deleted.changed_by == "admin"
    assert RetentionReview.history.filter(id=decision.pk).count() == 2  # decided, then deleted
    # Twice is refused.
    with pytest.raises(services.RetentionRefused):
        services.delete_reviewed_record(decision, by=world.users["admin"])


def test_a_record_others_depend_on_is_refused_with_a_reason(ended, time_machine):
    time_machine.move_to(LATER, tick=False)
    world = ended
    review = services.record_review(
        organisation=world.force,
        record_type="incidents",
        record_id=world.incident.pk,
        decision="delete",
        reason="Past retention",
        by=world.users["admin"],
    )
    # The referral made from the incident still points at it.
    with pytest.raises(services.RetentionRefused) as exc:
        services.delete_reviewed_record(review, by=world.users["admin"])
    assert "depend" in exc.value.message and "referral" in exc.value.message
    assert Incident.objects.filter(pk=world.incident.pk).exists()
    review.refresh_from_db()
    assert review.deleted_at is None


def test_auditors_read_the_review_but_cannot_decide(ended, client, time_machine):
    time_machine.move_to(LATER, tick=False)
    world = ended
    auditor = sign_in(client, world.users["auditor"])
    url = f"/privacy/retention/detentions/{world.detention.pk}/review/"
    assert auditor.get(url).status_code == 403
    assert auditor.post(url, {"decision": "delete", "reason": "x"}).status_code == 403
    assert not RetentionReview.objects.exists()


def _zip(response):
    return zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_subject_access_export_has_everything_and_is_access_logged(world, client):
    # A view of the person by an officer, so the access log has an entry about them.
    sign_in(client, world.users["officer"]).get(f"/people/{world.person.pk}/")
    client.logout()
    auditor = sign_in(client, world.users["auditor"])
    page = auditor.get(f"/privacy/people/{world.person.pk}/subject-access/")
    assert page.status_code == 200
    before = AccessLog.objects.filter(person_id=world.person.pk).count()
    r = auditor.get(f"/privacy/people/{world.person.pk}/subject-access/download/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    zf = _zip(r)
    names = set(zf.namelist())
    assert "subject-access.json" in names
    data = json.loads(zf.read("subject-access.json"))["records"]
    assert data["incidents.Person"][0]["id"] == world.person.pk
    assert [d["id"] for d in data["incidents.Detention"]] == [world.detention.pk]
    assert [i["id"] for i in data["incidents.Incident"]] == [world.incident.pk]
    assert [x["id"] for x in data["partners.Referral"]] == [world.referral.pk]
    assert data["incidents.DetentionArrival"]  # the detention's events
    assert data["incidents.Detention history"]
    assert any(e["actor_label"] == "officer" for e in data["audit.AccessLog"])
    assert "csv/incidents-detention.csv" in names and "csv/audit-accesslog.csv" in names
    csv_text = zf.read("csv/incidents-person.csv").decode()
    assert "Example" in csv_text.splitlines()[1]
    # The export itself is in the access log.
    assert AccessLog.objects.filter(person_id=world.person.pk).count() == before + 1
    assert AccessLog.objects.filter(
        person_id=world.person.pk, reason="Subject access export", user=world.users["auditor"]
    ).exists()


@pytest.mark.parametrize("who", ["officer", "mhlead", "nurse", "partner", "outsider"])
def test_subject_access_is_for_auditors_and_administrators_of_the_owning_force(world, client, who):
    c = sign_in(client, world.users[who])
    assert c.get(f"/privacy/people/{world.person.pk}/subject-access/download/").status_code == 404


def test_another_forces_auditor_may_not_export(world, client, make_user, other_force):
    auditor = make_user("iopc", other_force, Role.AUDITOR)
    c = sign_in(client, auditor)
    assert c.get(f"/privacy/people/{world.person.pk}/subject-access/download/").status_code == 404


def test_retention_periods_come_from_settings(settings):
    settings.RETENTION = {**settings.RETENTION, "incidents": dt.timedelta(days=1)}
    now = timezone.now()
    assert services.cutoff("incidents", now) == now - dt.timedelta(days=1)


def test_subject_access_csvs_carry_no_live_formula(world, client):
    import csv

    from tests.core.test_csv import HOSTILE, assert_no_live_formula

    person = world.person
    person.given_name, person.family_name = HOSTILE[0], HOSTILE[3]
    person.save()
    Incident.objects.filter(pk=world.incident.pk).update(location_description=HOSTILE[1])
    auditor = sign_in(client, world.users["auditor"])
    zf = _zip(auditor.get(f"/privacy/people/{person.pk}/subject-access/download/"))
    names = [n for n in zf.namelist() if n.endswith(".csv")]
    assert len(names) > 5
    for name in names:
        assert_no_live_formula(csv.reader(io.StringIO(zf.read(name).decode(), newline="")))
    people = list(csv.DictReader(io.StringIO(zf.read("csv/incidents-person.csv").decode())))
    assert people[0]["given_name"] == "'" + HOSTILE[0]
