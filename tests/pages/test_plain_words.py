"""Issue 19: plain words. Titles "Page – Harbour"; the return's categories as labels, never
raw codes; records by their reference and people by their name; the law in words behind a
"Why?" disclosure, never a bare rule id."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.actor import acting_as, user_actor
from detentions import services

from .helpers import at_station, make_person, make_places

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


def test_page_titles_name_the_page_then_the_service(web, officer, places):
    client = web.as_user(officer)
    assert _title(client.get("/detentions/start/all/").content.decode()) == (
        "Start a detention – Harbour"
    )
    assert _title(client.get("/detentions/").content.decode()) == "Active detentions – Harbour"


def test_the_return_shows_labels_not_codes(web, make_user, force):
    lead = make_user("npulead", force, Role.NPU_LEAD)
    html = web.as_user(lead).get("/reports/s136-return/").content.decode()
    for label in (
        "Health-based place of safety (s136 suite)",
        "18 and over",
        "Ambulance not available within 30 minutes",
    ):
        assert label in html
    for code in ("health_based", "18_and_over", "ambulance_not_available_30min"):
        assert f">{code}<" not in html
    assert "<code>" not in html


def test_an_overdue_check_explains_the_law_behind_why(web, officer, sergeant, force, places):
    now = timezone.now()
    d = at_station(
        officer, make_person(force), places[0], arrived_at=now - timedelta(minutes=50), now=now
    )
    html = web.as_user(sergeant).get(f"/detentions/{d.pk}/").content.decode()
    assert "(rule PS4)" not in html and "(rule " not in html
    why = html[html.index('data-rule="PS4"') :]
    assert "Why?" in why[:400]
    assert "at least every 30 minutes" in why[:1000]


def test_the_history_names_the_detention_and_the_person_who_changed_it(
    web, officer, sergeant, force, places
):
    officer.display_name = "PC Dana Fox"
    officer.save()
    d = at_station(officer, make_person(force), places[0])
    with acting_as(user_actor(officer)):
        services.end_detention(d, ended_at=timezone.now(), outcome="other")
    html = web.as_user(officer).get(f"/audit/history/incidents.detention/{d.pk}/").content.decode()
    assert f"Detention {d.reference}" in html
    assert f"Detention {d.pk}<" not in html
    assert "PC Dana Fox" in html
