"""R1 on the dashboards: the unlawful acts recorded as they happened, by rule, counted by the
detention's force, power and NPU and the act's own time, against values worked out by hand on
conftest.py's January data plus the acts below; and the dashboard pages that show them."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from detentions.models import Detention, UnlawfulAct
from reporting import queries
from reporting.queries import Scope

from .conftest import JANUARY, NOW, london

pytestmark = pytest.mark.django_db

PS1 = "PS1: A person under 18 may never be held at a police station"
PS3 = "PS3: An inspector or above authorises a police station"
E2 = "E2: An extension before the 24 hours expire"


def _act(d, rule, code, happened_at, *, recorded_at=None):
    return UnlawfulAct.objects.create(
        detention=d,
        target="detention",
        rule=rule,
        code=code,
        account="It happened.",
        recorded_at=recorded_at or happened_at,
        happened_at=happened_at,
    )


@pytest.fixture
def acts(force, other_force, january):
    def at(when, power="s136", org=force):
        return Detention.objects.get(organisation=org, detained_at=when, power=power)

    d1 = at(london(2026, 1, 9, 23, 59))  # NPU-N
    d2 = at(london(2026, 1, 10, 0, 0))  # NPU-C
    # D2 at a police station: PS1 and PS3 broken by one act (two rows), on the first minute of
    # the range.
    _act(d2, "PS1", "child_police_station", london(2026, 1, 1, 0, 0))
    _act(d2, "PS3", "inspector_authorisation_required", london(2026, 1, 1, 0, 0))
    # D1: PS1 at the last minute of the range, entered late in February (counted by when it
    # happened); an extension too late, in the range.
    _act(
        d1,
        "PS1",
        "child_police_station",
        london(2026, 1, 31, 23, 59),
        recorded_at=london(2026, 2, 3, 9, 0),
    )
    _act(d1, "E2", "extension_too_late", london(2026, 1, 12, 8, 0))
    # Not counted in January: the minute before and the minute after the range (though recorded
    # in January), another force's detention, the s135(1) detention.
    _act(d1, "PS1", "child_police_station", london(2025, 12, 31, 23, 59))
    _act(
        d2,
        "PS1",
        "child_police_station",
        london(2026, 2, 1, 0, 0),
        recorded_at=london(2026, 1, 31, 23, 0),
    )
    _act(at(london(2026, 1, 15, 12, 0), org=other_force), "PS1", "x", london(2026, 1, 15, 13, 0))
    _act(at(london(2026, 1, 15, 12, 0), "s135_1"), "PS3", "x", london(2026, 1, 15, 13, 0))
    return {"d1": d1, "d2": d2}


def rows(table):
    return {r[0]: r[1] for r in table.rows}


def test_r1_acts_in_the_range_by_rule_for_the_force(force, acts):
    table = queries.unlawful_acts(Scope(force.pk, *JANUARY, now=NOW))
    # PS1: D2 on 1 Jan 00:00, D1 on 31 Jan 23:59; PS3: D2; E2: D1. In the rules' order.
    assert table.rows == [[PS1, 2], [PS3, 1], [E2, 1]]
    assert table.total == 4


def test_r1_acts_by_npu(force, january, acts):
    npu_n = Scope(force.pk, *JANUARY, npu_id=january["npu_n"].pk, now=NOW)
    assert rows(queries.unlawful_acts(npu_n)) == {PS1: 1, E2: 1}  # D1
    npu_c = Scope(force.pk, *JANUARY, npu_id=january["npu_c"].pk, now=NOW)
    assert rows(queries.unlawful_acts(npu_c)) == {PS1: 1, PS3: 1}  # D2


def test_r1_acts_range_boundaries_are_uk_days(force, acts):
    # February: only D2's act at 1 Feb 00:00 (recorded in January); D1's late entry is January's.
    february = Scope(force.pk, dt.date(2026, 2, 1), dt.date(2026, 2, 28), now=NOW)
    assert rows(queries.unlawful_acts(february)) == {PS1: 1}
    # 31 December alone: the minute before January.
    december = Scope(force.pk, dt.date(2025, 12, 31), dt.date(2025, 12, 31), now=NOW)
    assert rows(queries.unlawful_acts(december)) == {PS1: 1}
    # In summer a UK day starts at 23:00 UTC the day before: an act at 23:30 UTC on 31 May is
    # 1 June in the UK, counted in June and not in May.
    _act(acts["d1"], "E2", "extension_too_late", dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC))
    june = Scope(force.pk, dt.date(2026, 6, 1), dt.date(2026, 6, 30), now=NOW)
    may = Scope(force.pk, dt.date(2026, 5, 1), dt.date(2026, 5, 31), now=NOW)
    assert rows(queries.unlawful_acts(june)) == {E2: 1}
    assert rows(queries.unlawful_acts(may)) == {}


def test_r1_acts_the_other_force_and_the_s135_return(force, other_force, acts):
    # The other force sees its own act only; the s135(1) figures count the s135(1) detention's.
    assert rows(queries.unlawful_acts(Scope(other_force.pk, *JANUARY, now=NOW))) == {
        "PS1: A person under 18 may never be held at a police station": 1
    }
    s135 = Scope(force.pk, *JANUARY, now=NOW, power="s135_1")
    assert rows(queries.unlawful_acts(s135)) == {PS3: 1}


def test_r1_acts_figure_is_one_query_whatever_the_rows(force, acts):
    scope = Scope(force.pk, *JANUARY, now=NOW)
    with CaptureQueriesContext(connection) as few:
        queries.unlawful_acts(scope)
    for i in range(20):
        _act(acts["d1"], "E2", "extension_too_late", london(2026, 1, 2, 1, i))
    with CaptureQueriesContext(connection) as many:
        table = queries.unlawful_acts(scope)
    assert len(few) == len(many) == 1
    assert rows(table)[E2] == 21


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31"}


def test_r1_acts_on_the_force_dashboard_with_the_leads_link(web, make_user, force, acts, frozen):
    lead = make_user("mhlead", force, Role.MH_TACTICAL_ADVISER)
    response = web.as_user(lead).get("/reports/", JAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-unlawful_acts"' in html
    assert PS1 in html
    assert rows(response.context["tables"]["unlawful_acts"]) == {PS1: 2, PS3: 1, E2: 1}
    assert 'href="/detentions/unlawful/"' in html
    # The list the link opens is open to the lead.
    assert web.get("/detentions/unlawful/").status_code == 200
    # The CSV of the table.
    csv_response = web.get("/reports/csv/unlawful_acts/", JAN)
    assert csv_response.status_code == 200
    assert f"{PS1},2" in csv_response.content.decode()


def test_r1_acts_on_the_npu_dashboard_without_the_link(web, npu_lead, acts, frozen):
    # The NPU lead sees the figure but may not open the review list: no link.
    response = web.as_user(npu_lead).get("/reports/npu/NPU-N/", JAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(response.context["tables"]["unlawful_acts"]) == {PS1: 1, E2: 1}
    assert E2 in html
    assert "/detentions/unlawful/" not in html
    assert web.get("/detentions/unlawful/").status_code == 403
