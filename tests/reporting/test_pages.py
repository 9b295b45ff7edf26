"""Dashboard pages, table CSVs and the s136 return page: permissions (owner force, partner,
outsider), filters, the under-18 warning, fixed query counts."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from reporting.views import last_financial_year

from .conftest import NOW, london

pytestmark = pytest.mark.django_db
JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_npu_lead_sees_the_force_dashboard(web, npu_lead, january):
    response = web.as_user(npu_lead).get("/reports/", JAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Whole force" in html
    # The under-18 at a police station warning is prominent (an alert) when not zero.
    assert 'id="under-18-at-station"' in html and "1 child was held at a police station" in html
    for key in ("volumes", "categories", "heatmap", "ethnicity", "officer_hours", "breaches"):
        assert f'id="figure-{key}"' in html
    assert "app-heat--5" in html or "app-heat--4" in html


def test_default_range_is_the_last_90_days(web, npu_lead, january):
    response = web.as_user(npu_lead).get("/reports/")
    scope = response.context["scope"]
    assert scope.date_to == dt.date(2026, 3, 15)
    assert (scope.date_to - scope.date_from).days == 89
    february = {"date_from": "2026-02-01", "date_to": "2026-02-28"}
    html = web.get("/reports/", february).content.decode()
    assert "No child (under 18) was held at a police station" in html


def test_invalid_range_shows_an_error_and_the_default(web, npu_lead, january):
    response = web.as_user(npu_lead).get(
        "/reports/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The end date must be the same as or after the start date" in html


def test_npu_dashboard_and_filters(web, npu_lead, january):
    client = web.as_user(npu_lead)
    response = client.get("/reports/npu/NPU-C/", JAN)
    assert response.status_code == 200
    assert response.context["scope"].npu_id == january["npu_c"].pk
    tables = response.context["tables"]
    assert tables["breaches"].rows[0][1] == 2  # D2 and D5 are in NPU-C
    response = client.get("/reports/", {**JAN, "npu": "NPU-N", "category": "missing_person"})
    assert response.context["tables"]["categories"].total == 1


def test_table_csv(web, npu_lead, january):
    response = web.as_user(npu_lead).get("/reports/csv/categories/", JAN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Category", "Incidents"]
    assert ["Crisis or welfare check", "2"] in rows
    response = web.as_user(npu_lead).get("/reports/npu/NPU-N/csv/heatmap/", JAN)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Day", "00", "01"]
    assert web.get("/reports/csv/nothing/", JAN).status_code == 404


@pytest.mark.parametrize("role", [Role.NPU_LEAD, Role.SUPERINTENDENT])
def test_reporting_roles_may_see_reports(web, make_user, force, role):
    user = make_user(f"u-{role}", force, role)
    assert web.as_user(user).get("/reports/").status_code == 200


def test_three_personas(web, make_user, force, npu_lead, outsider_lead, health_trust, january):
    # Owner force: its own figures.
    assert web.as_user(npu_lead).get("/reports/", JAN).context["scope"].organisation_id == force.pk
    # A partner's user without the reporting permission: refused.
    nurse = make_user("nurse1", health_trust, Role.PLACE_OF_SAFETY_STAFF)
    assert web.as_user(nurse).get("/reports/").status_code == 403
    # Another force: nothing of ours (its own figures only; our NPUs and CSVs are 404).
    client = web.as_user(outsider_lead)
    response = client.get("/reports/", JAN)
    assert response.status_code == 200
    assert response.context["tables"]["breaches"].rows[0][1] == 1
    assert response.context["tables"]["categories"].total == 1
    assert client.get("/reports/npu/NPU-N/").status_code == 404
    assert client.get("/reports/npu/NPU-N/csv/categories/").status_code == 404
    assert client.get("/reports/", {**JAN, "npu": "NPU-N"}).context["scope"].npu_id is None


def test_signed_out_and_officer(client, make_user, force):
    assert client.get("/reports/").status_code == 302
    officer = make_user("pc1", force, Role.RESPONSE_OFFICER)
    client.force_login(officer)
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/s136-return/").status_code == 403


def test_menu_entry(web, npu_lead):
    html = web.as_user(npu_lead).get("/").content.decode()
    assert 'href="/reports/"' in html


def test_dashboard_query_count_does_not_grow(web, npu_lead, force, january, maker, places):
    client = web.as_user(npu_lead)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/reports/", JAN).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first request of a session does some one-off work
    before = count()
    for i in range(4):
        p = maker.person(force, dob=dt.date(1985, 1, 1), ethnicity="A2")
        maker.detention(
            force,
            p,
            london(2026, 1, 14, i, 0),
            place=places["suite"],
            ended_after=dt.timedelta(hours=4),
            outcome="detained_s3",
        )
        maker.incident(force, london(2026, 1, 14, i, 0), "awol_patient", minutes=(20,), people=(p,))
    assert count() == before


def test_s136_return_page_and_csv(web, npu_lead, january):
    client = web.as_user(npu_lead)
    response = client.get("/reports/s136-return/", JAN)
    assert response.status_code == 200
    assert response.context["data"]["total"] == 5
    html = response.content.decode()
    assert "Download the return (CSV)" in html
    response = client.get("/reports/s136-return/csv/", JAN)
    assert 'filename="s136-return-2026-01-01-2026-01-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["total", "", "5"] in rows


def test_s136_return_defaults_to_the_last_financial_year(web, npu_lead):
    response = web.as_user(npu_lead).get("/reports/s136-return/")
    assert response.context["scope"].date_from == dt.date(2024, 4, 1)
    assert response.context["scope"].date_to == dt.date(2025, 3, 31)
    assert last_financial_year(dt.date(2026, 4, 1)) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_dates_out_of_range_on_pages(web, npu_lead):
    client = web.as_user(npu_lead)
    for path in ("/reports/", "/reports/s136-return/", "/reports/csv/volumes/"):
        response = client.get(path, {"date_from": "0001-01-01", "date_to": "9999-12-31"})
        assert response.status_code == 200, path


def test_repeat_demand_page(web, npu_lead, outsider_lead, january):
    response = web.as_user(npu_lead).get("/reports/repeat/", JAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(january["a"]) in html  # three incidents in January
    assert 'id="figure-repeat_locations"' in html
    # The dashboard itself names no one.
    assert str(january["a"]) not in web.get("/reports/", JAN).content.decode()
    assert web.get("/reports/npu/NPU-N/repeat/", JAN).status_code == 200
    other = web.as_user(outsider_lead)
    assert other.get("/reports/npu/NPU-N/repeat/").status_code == 404
    assert str(january["a"]) not in other.get("/reports/repeat/", JAN).content.decode()
