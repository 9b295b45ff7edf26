"""No CSV the reports produce carries a live formula: hostile text in every text column of the
report tables (incl. repeat people and locations), the s136 return (page and API) and exports."""

import csv
import io

import pytest
import time_machine

from incidents.models import Incident
from people.models import Person
from reporting import queries
from reporting.api import CsvRenderer
from reporting.models import Export
from reporting.services import build_export
from tests.core.test_csv import HOSTILE, assert_no_live_formula

from .conftest import NOW

pytestmark = pytest.mark.django_db
JAN = {"date_from": "2026-01-01", "date_to": "2026-01-31"}


@pytest.fixture
def hostile(january, force):
    with time_machine.travel(NOW, tick=False):
        for i, person in enumerate(Person.objects.order_by("pk")):
            person.given_name = HOSTILE[i % len(HOSTILE)]
            person.family_name = HOSTILE[(i + 1) % len(HOSTILE)]
            person.save()
        for i, incident in enumerate(Incident.objects.order_by("pk")):
            incident.location_description = HOSTILE[i % len(HOSTILE)]
            incident.save()
        force.npus.filter(code="NPU-N").update(name=HOSTILE[0])
    return january


def _rows(content: bytes):
    return list(csv.reader(io.StringIO(content.decode())))


def test_every_report_table_csv(web, npu_lead, hostile):
    client = web.as_user(npu_lead)
    with time_machine.travel(NOW, tick=False):
        for key in queries.FIGURES:
            response = client.get(f"/reports/csv/{key}/", JAN)
            assert response.status_code == 200, key
            assert_no_live_formula(_rows(response.content))
        people = _rows(client.get("/reports/csv/repeat_people/", JAN).content)
    assert any(cell.startswith("'") for row in people for cell in row)  # hostile names present


def test_s136_return_csv_page_and_api(web, npu_lead, api_for, force, hostile):
    with time_machine.travel(NOW, tick=False):
        page = web.as_user(npu_lead).get("/reports/s136-return/csv/", JAN)
        api = api_for(force, "reports:read").get(
            "/api/v1/reports/s136-return/",
            {"from": "2026-01-01", "to": "2026-01-31", "format": "csv"},
        )
    assert_no_live_formula(_rows(page.content))
    assert_no_live_formula(_rows(api.content))
    rendered = CsvRenderer().render({"=cmd": {"@x": -3}, "total": -2})
    assert _rows(rendered)[1:] == [["'=cmd", "'@x", "-3"], ["total", "", "-2"]]


def test_export_csv(force, hostile, npu_lead):
    force.npus.filter(code="NPU-N").update(code="=NPU(1)")
    for kind in ("incidents", "detentions"):
        export = Export.objects.create(
            organisation=force, owner=npu_lead, kind=kind, params=dict(JAN)
        )
        build_export(export.pk)
        export.refresh_from_db()
        with export.file.open("rb") as f:
            rows = _rows(f.read())
        assert_no_live_formula(rows)
        assert any(cell == "'=NPU(1)" for row in rows for cell in row), kind
