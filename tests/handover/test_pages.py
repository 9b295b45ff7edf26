"""The handover pages: the officer asks, the nurse answers (from the detention page or in one
step from "People here now"), the one-time link (single use, expiring, rate-limited,
access-logged), and what the board and the detention page say."""

import datetime as dt
import re

import pytest
from django.core import mail

from audit.models import AccessLog
from detentions import handover as svc
from detentions.models import Handover, HandoverRequest

pytestmark = pytest.mark.django_db


def ask(web, officer, d):
    web.as_user(officer)
    return web.post(f"/detentions/{d.pk}/handover/request/", {"note": "Calm now"})


def test_the_officer_asks_and_the_page_says_waiting(web, officer, d):
    page = web.as_user(officer).get(f"/detentions/{d.pk}/")
    assert "Ask health staff to take over" in page.content.decode()
    r = ask(web, officer, d)
    assert r.status_code == 302 and r["Location"] == f"/detentions/{d.pk}/"
    hreq = HandoverRequest.objects.get(detention=d)
    assert hreq.requested_by == "officer" and hreq.note == "Calm now"
    html = web.get(f"/detentions/{d.pk}/").content.decode()
    assert "Waiting for health staff since" in html
    board = web.get("/detentions/").content.decode()
    assert "Waiting for health staff since" in board


def test_the_answer_form_chooses_nothing_for_the_nurse(web, officer, nurse, d):
    ask(web, officer, d)
    web.as_user(nurse)
    html = web.get(f"/detentions/{d.pk}/handover/answer/").content.decode()
    assert " checked" not in html  # no answer pre-selected
    assert 'value="Nurse"' in html  # their own name, editable
    r = web.post(
        f"/detentions/{d.pk}/handover/answer/", {"decision": "accept", "received_by": "Nurse"}
    )
    assert r.status_code == 200
    text = r.content.decode()
    assert "Select whether the police must stay with the person" in text
    assert "<title>Error:" in text
    assert HandoverRequest.objects.get(detention=d).is_open


def test_the_nurse_accepts_and_the_officer_is_told(web, officer, nurse, d):
    ask(web, officer, d)
    web.as_user(nurse)
    r = web.post(
        f"/detentions/{d.pk}/handover/answer/",
        {"decision": "accept", "received_by": "Kate Jones RMN", "police_must_stay": "yes"},
    )
    assert "Enter why the police must stay" in r.content.decode()
    r = web.post(
        f"/detentions/{d.pk}/handover/answer/",
        {
            "decision": "accept",
            "received_by": "Kate Jones RMN",
            "police_must_stay": "yes",
            "stay_reason": "Risk of violence",
        },
    )
    assert r.status_code == 302
    assert Handover.objects.get(detention=d).received_by == "Kate Jones RMN"
    web.as_user(officer)
    assert (
        "Accepted: police must stay: Risk of violence" in web.get("/detentions/").content.decode()
    )
    inbox = web.get("/alerts/").content.decode()
    assert "Handover accepted" in inbox and "Police must stay: Risk of violence" in inbox
    web.as_user(nurse)
    assert web.post(f"/detentions/{d.pk}/handover/release/").status_code == 302
    assert HandoverRequest.objects.get(detention=d).police_released_at is not None


def test_a_decline_needs_a_reason_on_the_page(web, officer, nurse, d):
    ask(web, officer, d)
    web.as_user(nurse)
    r = web.post(
        f"/detentions/{d.pk}/handover/answer/", {"decision": "decline", "received_by": "Kate"}
    )
    assert "Enter why you cannot accept the handover now" in r.content.decode()
    r = web.post(
        f"/detentions/{d.pk}/handover/answer/",
        {"decision": "decline", "received_by": "Kate", "decline_reason": "No bed"},
    )
    assert r.status_code == 302
    web.as_user(officer)
    html = web.get(f"/detentions/{d.pk}/").content.decode()
    assert "Declined at" in html and "No bed" in html and "Ask health staff again" in html


def test_people_here_now_names_them_with_time_left_and_accepts_in_one_step(
    web, officer, nurse, d, suite
):
    ask(web, officer, d)
    web.as_user(nurse)
    html = web.get(f"/places-of-safety/{suite.pk}/").content.decode()
    assert "Sam Rowe" in html and d.reference in html
    assert "Past the time limit" in html  # T0 is in June: the 24 hours have long passed
    assert "Accept handover of Sam Rowe" in html
    r = web.post(
        f"/detentions/{d.pk}/handover/accept/",
        {"police_must_stay": "no", "next": f"/places-of-safety/{suite.pk}/"},
    )
    assert r.status_code == 302 and r["Location"] == f"/places-of-safety/{suite.pk}/"
    hreq = HandoverRequest.objects.get(detention=d)
    assert hreq.state == "accepted" and hreq.answered_by_name == "Nurse"
    assert "Handed over at" in web.get(f"/places-of-safety/{suite.pk}/").content.decode()


def test_another_place_or_force_cannot_see_or_answer(
    web, officer, outsider_officer, other_nurse, d, suite
):
    ask(web, officer, d)
    web.as_user(other_nurse)
    assert web.get(f"/detentions/{d.pk}/handover/answer/").status_code == 404
    assert (
        web.post(f"/detentions/{d.pk}/handover/accept/", {"police_must_stay": "no"}).status_code
        == 404
    )
    assert "Sam Rowe" not in web.get(f"/places-of-safety/{suite.pk}/").content.decode()
    web.as_user(outsider_officer)
    assert web.get(f"/detentions/{d.pk}/handover/request/").status_code == 404
    assert HandoverRequest.objects.get(detention=d).is_open


def _link_url(d, officer):
    from core.actor import acting_as, user_actor

    with acting_as(user_actor(officer)):
        hreq = svc.request_handover(d)
    link = hreq.links.get()
    return link, svc.url_for(link).split("://", 1)[1].split("/", 1)[1]


def test_a_one_time_link_works_once_and_every_use_is_logged(client, officer, d):
    link, path = _link_url(d, officer)
    path = "/" + path
    page = client.get(path)
    assert page.status_code == 200 and "Sam Rowe" in page.content.decode()
    assert " checked" not in page.content.decode()
    r = client.post(path, {"decision": "accept", "received_by": "Ann Lee RMN"})
    assert r.status_code == 400 and "Select whether the police must stay" in r.content.decode()
    r = client.post(
        path, {"decision": "accept", "received_by": "Ann Lee RMN", "police_must_stay": "no"}
    )
    assert r.status_code == 200 and "police may leave" in r.content.decode()
    handover = Handover.objects.get(detention=d)
    assert handover.received_by == "Ann Lee RMN" and handover.via_link
    assert handover.history.first().changed_by == f"one-time link {link.pk}"
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    logs = list(AccessLog.objects.filter(actor_kind="handover_link").order_by("pk"))
    assert [log.status_code for log in logs] == [200, 400, 200, 410]
    assert [log.reason.split(": ", 1)[1] for log in logs] == [
        "opened",
        "refused: form errors",
        "used: accepted",
        "refused: handover_link_used",
    ]
    assert all(log.record_id == str(d.pk) and log.person_id == d.person_id for log in logs)
    assert all(path.split("/")[3] not in log.path for log in logs)  # never the token


def test_an_expired_or_forged_link_is_refused_and_logged(client, officer, d, time_machine):
    link, path = _link_url(d, officer)
    path = "/" + path
    time_machine.move_to(link.expires_at + dt.timedelta(seconds=1))
    r = client.get(path)
    assert r.status_code == 410 and "expired" in r.content.decode()
    link.refresh_from_db()
    assert link.refused_uses == 1
    forged = re.sub(r":[^:/]+/$", ":forged/", path)
    assert client.get(forged).status_code == 404
    assert AccessLog.objects.filter(actor_kind="handover_link", status_code=404).exists()
    assert HandoverRequest.objects.get(detention=d).is_open


def test_the_link_page_is_rate_limited(client, settings, officer, d):
    from django.core.cache import cache

    cache.delete("handover-link-rate:127.0.0.1")
    settings.HARBOUR = {
        **settings.HARBOUR,
        "HANDOVER_LINK": {**settings.HARBOUR["HANDOVER_LINK"], "RATE": 3},
    }
    link, path = _link_url(d, officer)
    for _ in range(3):
        assert client.get("/" + path).status_code == 200
    r = client.get("/" + path)
    assert r.status_code == 429 and "Too many tries" in r.content.decode()
    assert AccessLog.objects.filter(actor_kind="handover_link", status_code=429).count() == 1
    cache.delete("handover-link-rate:127.0.0.1")


def test_the_link_is_in_the_email_to_the_shared_inbox(officer, d):
    from alerts.models import Delivery
    from alerts.tasks import deliver

    link, path = _link_url(d, officer)
    delivery = Delivery.objects.get(address="willow-suite@trust.example")
    deliver.apply(args=[delivery.pk])
    (message,) = mail.outbox
    assert path in message.body and "Sam Rowe" not in message.body


def test_link_uses_show_in_the_access_log(client, web, auditor, officer, d):
    link, path = _link_url(d, officer)
    client.get("/" + path)
    client.get("/handover/link/not-a-token/")
    html = web.as_user(auditor).get("/audit/access/").content.decode()
    assert f"one-time link {link.pk}" in html and "one-time handover link: opened" in html
    assert "refused: handover_link_invalid" in html


def test_a_request_left_unanswered_at_the_end_says_so(web, officer, d):
    import datetime as dt

    from core.actor import acting_as, user_actor
    from detentions import services

    from .conftest import ASKED

    with acting_as(user_actor(officer)):
        svc.request_handover(d, now=ASKED)
        services.end_detention(
            d, ended_at=ASKED + dt.timedelta(minutes=5), outcome="no_mental_disorder"
        )
    html = web.as_user(officer).get(f"/detentions/{d.pk}/").content.decode()
    assert "not answered before the detention ended" in html
    assert "Waiting for health staff since" not in html


def test_a_one_step_accept_without_the_stay_answer_shows_the_full_form(
    web, officer, nurse, d, suite
):
    ask(web, officer, d)
    web.as_user(nurse)
    r = web.post(f"/detentions/{d.pk}/handover/accept/", {"next": f"/places-of-safety/{suite.pk}/"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Select whether the police must stay with the person" in html
    assert f'name="next" value="/places-of-safety/{suite.pk}/"' in html
    assert HandoverRequest.objects.get(detention=d).is_open


def test_only_the_place_may_release_the_police(web, officer, nurse, d):
    ask(web, officer, d)
    web.as_user(nurse)
    web.post(
        f"/detentions/{d.pk}/handover/answer/",
        {
            "decision": "accept",
            "received_by": "Kate",
            "police_must_stay": "yes",
            "stay_reason": "Risk",
        },
    )
    web.as_user(officer)
    assert web.post(f"/detentions/{d.pk}/handover/release/").status_code == 403
    assert HandoverRequest.objects.get(detention=d).police_released_at is None


def test_an_offsite_next_is_ignored(web, officer, nurse, d):
    ask(web, officer, d)
    web.as_user(nurse)
    r = web.post(
        f"/detentions/{d.pk}/handover/accept/",
        {"police_must_stay": "no", "next": "https://evil.example/"},
    )
    assert r.status_code == 302 and r["Location"] == f"/detentions/{d.pk}/"
