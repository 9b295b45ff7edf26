"""R1, R2 and RS4 on the pages: the confirmation step names the rule in plain words and asks for
the account (nothing pre-filled); the detention page shows what was recorded; the force mental
health lead reviews it; an ended detention takes late entries marked "entered late"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from alerts.models import Alert
from core.actor import acting_as, user_actor
from detentions import services
from detentions.models import Correction, DetentionArrival, UnlawfulAct, WelfareCheck

from .helpers import at_station, at_suite, local, make_person, make_places, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


@pytest.fixture
def mhlead(make_user, force):
    return make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="inspector")


def _text(response):
    return response.content.decode()


def _child_at_station(web, officer, force, station, **extra):
    child = make_person(force, "Kid", "Young", dob=str(timezone.localdate().year - 16) + "-01-01")
    d = start(officer, child)
    data = {
        "place_of_safety": str(station.pk),
        **local("arrived_at", timezone.now() - timedelta(minutes=5)),
        "conditions": ["imminent_risk", "no_other_place", "hcp_available"],
        "decision_maker_rank": "inspector",
        **extra,
    }
    return d, web.as_user(officer).post(f"/detentions/{d.pk}/arrival/", data)


def test_r1_the_confirmation_step_names_the_rule_and_asks_for_the_account(
    web, officer, force, places
):
    station = places[0]
    d, response = _child_at_station(web, officer, force, station)
    page = _text(response)
    assert response.status_code == 200
    assert "A person under 18 must never" in page
    assert "Has this already happened?" in page
    assert "A person under 18 may never be held at a police station" in page
    # Nothing pre-filled: the box is not ticked and the account is empty.
    assert 'name="record_as_happened" type="checkbox" value="yes">' in page
    assert (
        '<textarea class="govuk-textarea" id="account" name="account" rows="4"></textarea>' in page
    )
    # Ticked without an account: asked again, nothing written.
    d, response = _child_at_station(web, officer, force, station, record_as_happened="yes")
    assert "give an account of what happened" in _text(response)
    assert not DetentionArrival.objects.filter(detention=d).exists()


def test_r1_recorded_as_it_happened_is_shown_on_the_detention_and_reviewed_by_the_lead(
    web, officer, mhlead, force, places
):
    station = places[0]
    account = "Only cell free; violent; nurse with him throughout."
    d, response = _child_at_station(
        web, officer, force, station, record_as_happened="yes", account=account
    )
    assert response.status_code == 302, _text(response)
    act = UnlawfulAct.objects.get(detention=d)
    assert (act.rule, act.code, act.account) == ("PS1", "child_police_station", account)
    assert Alert.objects.filter(detention=d, kind="unlawful_act_recorded").count() == 1
    page = _text(web.as_user(officer).get(f"/detentions/{d.pk}/"))
    assert "Unlawful acts recorded as they happened" in page and account in page
    assert "Unlawful, recorded as it happened" in page  # in the timeline
    # The officer may not open the review list; the lead may, and records the review.
    assert web.as_user(officer).get("/detentions/unlawful/").status_code == 403
    lead = web.as_user(mhlead)
    assert "was recorded as it happened" in _text(lead.get("/alerts/"))  # the alert inbox
    listing = _text(lead.get("/detentions/unlawful/"))
    assert d.reference in listing and account in listing
    response = lead.post(
        "/detentions/unlawful/", {"act": act.pk, "decision": "reviewed", "note": "Raised with IOPC"}
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.review_decision == "reviewed" and act.review_note == "Raised with IOPC"
    latest = act.history.order_by("-history_date").first()
    assert latest.changed_by == "mhlead" and latest.history_change_reason == "reviewed"
    assert "Nothing is awaiting review." in _text(lead.get("/detentions/unlawful/"))


def test_r2_a_welfare_check_is_entered_late_after_the_end(web, officer, inspector, force, places):
    suite = places[1]
    d = at_suite(officer, make_person(force), suite)
    with acting_as(user_actor(officer)):
        services.end_detention(d, ended_at=timezone.now() - timedelta(minutes=2), outcome="other")
    alerts = Alert.objects.count()
    client = web.as_user(inspector)
    form = _text(client.get(f"/detentions/{d.pk}/welfare-check/"))
    assert "Why is this entered late?" in form
    response = client.post(
        f"/detentions/{d.pk}/welfare-check/",
        {
            **local("checked_at", timezone.now() - timedelta(minutes=10)),
            "professional_name": "Nurse Able",
            "risk_requires_waking": "yes",
            "late_reason": "Paper record found after the end",
        },
    )
    assert response.status_code == 302, _text(response)
    check = WelfareCheck.objects.get(detention=d)
    assert check.entered_late and check.late_entry_reason == "Paper record found after the end"
    assert Correction.objects.get(detention=d).kind == "late_entry"
    assert Alert.objects.count() == alerts
    page = _text(client.get(f"/detentions/{d.pk}/"))
    assert "Entered late" in page and "Paper record found after the end" in page


def test_rs4_the_rule_set_is_named_on_the_detention_page(web, officer, force, places, settings):
    settings.HARBOUR = {
        **settings.HARBOUR,
        "MHA2025_COMMENCEMENT": (timezone.now() - timedelta(days=1)).isoformat(),
    }
    d = start(officer, make_person(force))
    assert d.rule_set == "mha2025"
    page = _text(web.as_user(officer).get(f"/detentions/{d.pk}/"))
    assert "as amended by the Mental Health Act 2025" in page


def test_r2_a1_an_assessment_step_never_recorded_is_added_late(
    web, officer, inspector, force, places
):
    from detentions.models import Assessment

    d = at_suite(officer, make_person(force), places[1])
    client = web.as_user(inspector)
    assert client.get(f"/detentions/{d.pk}/assessment/late/").status_code == 404  # running
    with acting_as(user_actor(officer)):
        services.end_detention(d, ended_at=timezone.now() - timedelta(minutes=2), outcome="other")
    assert "Add assessment steps entered late" in _text(client.get(f"/detentions/{d.pk}/"))
    response = client.post(
        f"/detentions/{d.pk}/assessment/late/",
        {
            **local("started_at", timezone.now() - timedelta(minutes=10)),
            "late_reason": "AMHP's notes arrived after the end",
        },
    )
    assert response.status_code == 302, _text(response)
    assessment = Assessment.objects.get(detention=d)
    assert assessment.started_at is not None and assessment.entered_late
    assert web.as_user(officer).get(f"/detentions/{d.pk}/assessment/late/").status_code == 403


def test_r2_ps6_a_transfer_exception_is_entered_late_after_the_end(
    web, officer, inspector, force, places
):
    from detentions.models import TransferException

    d = at_station(officer, make_person(force), places[0])
    with acting_as(user_actor(officer)):
        services.end_detention(d, ended_at=timezone.now() - timedelta(minutes=2), outcome="other")
    alerts = Alert.objects.count()
    client = web.as_user(inspector)
    assert "Add why they stayed at the police station, entered late" in _text(
        client.get(f"/detentions/{d.pk}/")
    )
    form = _text(client.get(f"/detentions/{d.pk}/transfer-exception/"))
    assert "Why is this entered late?" in form
    assert "Why is the person staying at the police station?" in form
    data = {
        **local("recorded_for", timezone.now() - timedelta(minutes=10)),
        "reason": "An assessment can begin sooner here; moving them would distress them",
    }
    # The late reason is asked for, and nothing is written without it.
    response = client.post(f"/detentions/{d.pk}/transfer-exception/", data)
    assert response.status_code == 200
    assert not TransferException.objects.filter(detention=d).exists()
    response = client.post(
        f"/detentions/{d.pk}/transfer-exception/",
        {**data, "late_reason": "Custody record typed up after the end"},
    )
    assert response.status_code == 302, _text(response)
    exception = TransferException.objects.get(detention=d)
    assert exception.reason == data["reason"]
    assert exception.late_entry_reason == "Custody record typed up after the end"
    assert Correction.objects.get(detention=d).kind == "late_entry"
    assert Alert.objects.count() == alerts
    page = _text(client.get(f"/detentions/{d.pk}/"))
    assert "Entered late" in page and "Custody record typed up after the end" in page
