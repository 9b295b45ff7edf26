"""Force, search and restraint on the dashboard and in the return, against values worked out
by hand (conftest.py's January data plus the records below), and the return for s135(1)."""

import csv
import datetime as dt
import io

import pytest
import time_machine

from detentions.models import Detention
from reporting import queries
from reporting.queries import Scope
from use_of_force.models import ProtectiveSearch, UseOfForce

from .conftest import JANUARY, NOW, london

pytestmark = pytest.mark.django_db

NO_FORCE = {
    "force_used": 0,
    "by_force_tactic": {
        "handcuffs": 0,
        "limb_restraints": 0,
        "body_restraints": 0,
        "spit_guard": 0,
        "ground_restraint": 0,
        "prone_restraint": 0,
        "taser_drawn": 0,
        "taser_fired": 0,
        "other": 0,
    },
    "prone_restraint": 0,
    "restraint_at_health_based_place": 0,
    "force_injuries": {"person": 0, "officer": 0},
    "protective_searches": 0,
    "searches_items_found": 0,
}


def _use(d, tactic, *, place=None, person_injured=False, officer_injured=False, officer="PC A"):
    return UseOfForce.objects.create(
        detention=d,
        officer_name=officer,
        tactic=tactic,
        used_at=d.detained_at,
        location="place_of_safety" if place else "street",
        place_of_safety=place,
        reasons=["protect_subject"],
        person_injured=person_injured,
        officer_injured=officer_injured,
        injury_detail="Graze" if person_injured or officer_injured else "",
        review_required=tactic == "prone_restraint" or place is not None,
    )


def _search(d, found):
    return ProtectiveSearch.objects.create(
        detention=d,
        officer_name="PC A",
        searched_at=d.detained_at,
        location="street",
        grounds="Threatened harm with a blade",
        items_found=found,
        found_description="Blade" if found else "",
    )


@pytest.fixture
def force_records(force, january, places):
    def at(when, power="s136"):
        return Detention.objects.get(organisation=force, detained_at=when, power=power)

    d1, d2 = at(london(2026, 1, 9, 23, 59)), at(london(2026, 1, 10, 0, 0))
    # D1: a prone restraint in the street (the person injured) by PC A, then handcuffs at the
    # suite by PC B; a search that found a blade.
    _use(d1, "prone_restraint", person_injured=True)
    _use(d1, "handcuffs", place=places["suite"], officer="PC B")
    _search(d1, True)
    # D2: handcuffs by two officers (one detention), an officer injured; a search, nothing found.
    _use(d2, "handcuffs", officer_injured=True)
    _use(d2, "handcuffs", officer="PC C")
    _search(d2, False)
    # Not in the s136 January return: February's prone restraint; the s135(1) detention's taser.
    _use(at(london(2026, 2, 1, 0, 0)), "prone_restraint")
    _use(at(london(2026, 1, 15, 12, 0), "s135_1"), "taser_drawn")


S136_JANUARY = {
    "force_used": 2,  # D1, D2
    "by_force_tactic": {**NO_FORCE["by_force_tactic"], "handcuffs": 2, "prone_restraint": 1},
    "prone_restraint": 1,  # D1
    "restraint_at_health_based_place": 1,  # D1's handcuffs at the suite
    "force_injuries": {"person": 1, "officer": 1},  # D1, D2
    "protective_searches": 2,
    "searches_items_found": 1,  # D1
}


@pytest.mark.usefixtures("summaries")
def test_the_return_counts_force_by_hand(force, force_records):
    data = queries.s136_return(Scope(force.pk, *JANUARY, now=NOW))
    assert {k: data[k] for k in S136_JANUARY} == S136_JANUARY


@pytest.mark.usefixtures("summaries")
def test_the_dashboard_table(force, force_records):
    table = queries.dashboard(Scope(force.pk, *JANUARY, now=NOW))["force"]
    rows = {str(r[0]): r[1] for r in table.rows}
    assert rows["Detentions with any force used"] == 2
    assert rows["Handcuffs"] == 2
    assert rows["Prone restraint (face down)"] == 1
    assert rows["With a restraint at a health-based place of safety"] == 1
    assert rows["Searched: something found"] == 1
    # D1's prone restraint and its handcuffs at the suite, both still to review.
    assert rows["Uses of force awaiting review"] == 2


@pytest.mark.usefixtures("summaries")
def test_the_s135_return_by_hand(force, force_records):
    data = queries.s136_return(Scope(force.pk, *JANUARY, now=NOW, power="s135_1"))
    # H: one s135(1) warrant detention, an adult (A1, male) at the suite, ended after 5 hours.
    assert data["power"] == "s135_1"
    assert data["total"] == 1
    assert data["by_first_place_of_safety"]["health_based"] == 1
    assert data["by_age_group"] == {"under_18": 0, "18_and_over": 1, "not_known": 0}
    assert data["by_ethnicity_group"]["asian"] == 1
    assert (data["under_18_at_police_station"], data["extensions"], data["breaches"]) == (0, 0, 0)
    assert data["median_minutes_to_assessment"] is None
    assert data["force_used"] == 1
    assert data["by_force_tactic"]["taser_drawn"] == 1


URL = "/api/v1/reports/s136-return/"
RANGE = {"from": "2026-01-01", "to": "2026-01-31"}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_api_return_for_s135(api_for, force, force_records, frozen):
    client = api_for(force, "reports:read")
    body = client.get(URL, RANGE).json()
    assert (body["power"], body["total"], body["force_used"]) == ("s136", 5, 2)
    body = client.get(URL, {**RANGE, "power": "s135_1"}).json()
    assert (body["power"], body["total"], body["force_used"]) == ("s135_1", 1, 1)
    response = client.get(URL, {**RANGE, "power": "s135_1", "format": "csv"})
    assert 'filename="s135_1-return-2026-01-01-2026-01-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["power", "", "s135_1"] in rows
    assert ["total", "", "1"] in rows
    assert ["by_force_tactic", "taser_drawn", "1"] in rows
    response = client.get(URL, {**RANGE, "power": "s2"})
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [
        ("invalid_choice", "power")
    ]


def test_the_return_page_and_csv_for_s135(web, npu_lead, force_records, frozen):
    client = web.as_user(npu_lead)
    period = {"date_from": "2026-01-01", "date_to": "2026-01-31"}
    response = client.get("/reports/s136-return/", {**period, "power": "s135_1"})
    assert response.status_code == 200
    assert response.context["data"]["total"] == 1
    html = response.content.decode()
    assert "Section 135(1) warrant" in html
    assert "power=s135_1" in response.context["csv_url"]
    response = client.get("/reports/s136-return/csv/", {**period, "power": "s135_1"})
    assert 'filename="s135_1-return-2026-01-01-2026-01-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["total", "", "1"] in rows
    # s136 stays the default, with its force figures on the page.
    response = client.get("/reports/s136-return/", period)
    assert response.context["data"]["power"] == "s136"
    assert "Detentions with any force used" in response.content.decode()
    assert dt.date(2026, 1, 1) == response.context["scope"].date_from
