"""The officer's and the sergeant's main journeys in Welsh (issue 23), with axe-core on every page
(`<html lang="cy">`): the officer chooses Cymraeg on the sign-in page, signs in, starts a
detention from the street and records the arrival at a police station; the sergeant, whose
preferred language is Welsh, signs in on the English page and is answered in Welsh from then on,
finds the person on the board, records a welfare check and acknowledges an alert."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert, AlertKind
from alerts.sweep import sweep
from detentions.models import Detention
from tests.alerts.conftest import detain
from tests.conftest import PASSWORD
from tests.pages.helpers import make_places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def places(force, health_trust, acute_trust):
    return make_places(force, health_trust, acute_trust)


def _in_welsh(page):
    assert page.get_attribute("html", "lang") == "cy"
    page.check_a11y()


def _save(page, name="Cadw"):
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def test_the_officer_works_in_welsh(page, officer, places):
    station = places[0]
    page.visit("/sign-in/")
    page.get_by_role("button", name="Newid yr iaith: Cymraeg").click()
    page.wait_for_load_state("load")
    _in_welsh(page)
    page.get_by_label("Enw defnyddiwr").fill(officer.username)
    page.get_by_label("Cyfrinair").fill(PASSWORD)
    page.get_by_role("button", name="Mewngofnodi").click()
    page.wait_for_url(re.compile(r"^(?!.*/sign-in/).*$"))
    _in_welsh(page)
    officer.refresh_from_db()
    assert officer.preferred_language == ""  # chosen before signing in: the cookie only

    # The question pages (issue 19), in Welsh: nothing saved before the check page.
    page.get_by_role("link", name="Dechrau cadw").first.click()
    page.wait_for_load_state("load")
    _in_welsh(page)
    page.get_by_label("Person newydd").check()
    _continue_in_welsh(page)
    page.fill("#id_given_name", "Rhys")
    page.fill("#id_family_name", "Pritchard")
    page.fill("#id_date_of_birth", "12")
    page.fill("#id_date_of_birth-month", "6")
    page.fill("#id_date_of_birth-year", "1984")
    page.select_option("#id_gender", "male")
    page.select_option("#id_ethnicity", "NS")
    _continue_in_welsh(page)
    page.get_by_label("Adran 136 (symud o fan cyhoeddus)").check()
    page.get_by_label("Man cyhoeddus", exact=True).check()
    page.fill("#id_location_description", "Gorsaf reilffordd Castleford, platfform 2")
    _continue_in_welsh(page)
    page.get_by_label("Ie", exact=True).first.check()
    page.select_option("#id_consultation_profession", "nurse")
    page.fill("#id_consultation_name", "Nyrs brysbennu Cati Jones")
    _continue_in_welsh(page)
    page.get_by_label("Cerbyd yr heddlu", exact=True).check()
    page.select_option("#id_conveyance_reason", "risk_of_violence")
    page.get_by_label("Wedi'i symud i fan diogel").check()
    _continue_in_welsh(page)
    assert not Detention.objects.filter(person__family_name="Pritchard").exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Dechrau'r cadw").click()
    page.wait_for_url(re.compile(r".*/detentions/\d+/$"))
    _in_welsh(page)
    d = Detention.objects.get(person__family_name="Pritchard")
    text = page.inner_text("main")
    assert "ers y cadw" in text  # the countdown's words (djangojs)
    assert "Wedi'i gadw o dan" in text  # the timeline

    page.get_by_role("link", name="Cofnodi cyrraedd man diogel").click()
    page.wait_for_load_state("load")
    _in_welsh(page)
    page.get_by_label(station.name).check()
    page.check("#id_conditions")
    page.check("#id_conditions-2")
    page.check("#id_conditions-3")
    page.fill("#id_consulted_professional", "Nyrs brysbennu Cati Jones")
    page.fill("#id_inspector_name", "Arol. Dafydd Huws")
    page.select_option("#id_inspector_rank", "inspector")
    _save(page)
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    _in_welsh(page)
    text = page.inner_text("main")
    assert "Gwiriad lles nesaf" in text and "Adolygiad nesaf" in text
    assert "Gorsaf heddlu wedi'i hawdurdodi gan Arol. Dafydd Huws" in text


def _continue_in_welsh(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Parhau").click()
    _in_welsh(page)


def test_the_sergeant_works_in_welsh(page, sergeant, force, places):
    _sergeant_journey(page, sergeant, force, places)


@pytest.mark.phone
def test_the_sergeant_works_in_welsh_on_a_phone(page, sergeant, force, places):
    _sergeant_journey(page, sergeant, force, places)


def _sergeant_journey(page, sergeant, force, places):
    station = places[0]
    sergeant.preferred_language = "cy"
    sergeant.save()
    now = timezone.now()
    d = detain(force, at=now - timedelta(minutes=90), place=station, now=now)
    sweep(now=now)

    # Signed in on the English page; the preference answers in Welsh from then on.
    page.visit("/sign-in/", check=False)
    page.sign_in(sergeant.username, PASSWORD)
    _in_welsh(page)

    page.visit("/detentions/")
    _in_welsh(page)
    assert "Achosion cadw gweithredol" in page.inner_text("main")
    page.get_by_role("link", name=d.person.full_name, exact=True).click()
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    _in_welsh(page)
    page.get_by_role("link", name="Cofnodi gwiriad lles").click()
    page.wait_for_load_state("load")
    _in_welsh(page)
    page.fill("#id_professional_name", "Nyrs y ddalfa Alun Prys")
    page.select_option("#id_profession", "nurse")
    page.get_by_label("Ie", exact=True).first.check()
    _save(page)
    page.wait_for_url(re.compile(rf".*/detentions/{d.pk}/$"))
    _in_welsh(page)
    assert "Gwiriad lles gan Nyrs y ddalfa Alun Prys" in page.inner_text("main")

    page.visit("/alerts/")
    _in_welsh(page)
    page.get_by_role("button", name=re.compile(r"^Cydnabod Adolygiad y ddalfa yn hwyr")).click()
    page.wait_for_url("**/alerts/")
    _in_welsh(page)
    assert "Rhybudd wedi'i gydnabod." in page.content()
    review = Alert.objects.get(kind=AlertKind.REVIEW_OVERDUE)
    assert review.acknowledged_by == sergeant.username
