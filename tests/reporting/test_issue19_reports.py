"""Issue 19: an NPU lead lands on their own NPU's dashboard (whole force one link away), each
chart's figures fold away in a details element, and the demo data fills the s136 return's
default period (the last full financial year)."""

import datetime as dt
import io
import random
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import NPU, Organisation
from accounts.roles import Role
from accounts.services import ensure_user
from demo.detentions import financial_year_starts
from reporting import queries
from reporting.views import last_financial_year
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def npu_lead(force):
    return ensure_user(
        "nialead",
        organisation=force,
        roles=[Role.NPU_LEAD],
        password=PASSWORD,
        display_name="Nia Lead",
        npu=NPU.objects.get(force=force, code="NPU-C"),
    )


def _h1(response):
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


def test_an_npu_lead_lands_on_their_npu(client, npu_lead):
    client.force_login(npu_lead)
    response = client.get("/reports/")
    assert response.status_code == 200
    assert response.context["npu"].code == "NPU-C"
    assert _h1(response) == "Castleford Central (NPU-C)"
    html = response.content.decode()
    # The CSV links and the export carry the NPU shown, and the whole force is one link away.
    assert "npu=NPU-C" in html
    assert 'href="/reports/?npu="' in html
    whole = client.get("/reports/?npu=")
    assert whole.context["npu"] is None
    assert _h1(whole) == "Whole force"


def test_others_still_land_on_the_whole_force(client, make_user, force):
    superintendent = make_user("supt", force, Role.SUPERINTENDENT, rank="superintendent")
    client.force_login(superintendent)
    assert client.get("/reports/").context["npu"] is None


def test_a_lead_without_a_home_npu_lands_on_the_whole_force(client, make_user, force):
    client.force_login(make_user("lead2", force, Role.NPU_LEAD))
    assert client.get("/reports/").context["npu"] is None


def test_each_charts_figures_fold_away_in_a_details_element(client, npu_lead):
    client.force_login(npu_lead)
    html = client.get("/reports/").content.decode()
    charts = html.count('class="app-report-chart"')
    assert charts > 3
    assert html.count("Show the figures as a table") == charts
    # Each charted table sits inside its details element.
    for match in re.finditer(
        r'<table class="govuk-table app-report-table" id="(table-[\w-]+)"[^>]*data-chart', html
    ):
        before = html[: match.start()]
        assert before.rfind("<details") > before.rfind("</details>"), match.group(1)


@pytest.mark.parametrize("today", [dt.date(2026, 12, 7), dt.date(2027, 4, 1), dt.date(2026, 3, 31)])
def test_demo_financial_year_starts_fall_in_the_last_full_financial_year(today):
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    first, last = last_financial_year(today)
    starts = financial_year_starts(now, random.Random(136))  # noqa: S311
    assert len(starts) == 24
    assert all(first <= timezone.localdate(s) <= last for s in starts)
    assert all(s <= now - dt.timedelta(days=2) for s in starts)
    assert starts == financial_year_starts(now, random.Random(136))  # noqa: S311 - deterministic


def test_the_demo_return_for_the_last_financial_year_is_not_all_zeros():
    call_command("seed_demo", stdout=io.StringIO())
    force = Organisation.objects.get(slug="midshire-police")
    first, last = last_financial_year(timezone.localdate())
    data = queries.s136_return(
        queries.Scope(organisation_id=force.pk, date_from=first, date_to=last, power="s136")
    )
    assert data["total"] > 10
    assert sum(data["by_first_place_of_safety"].values()) == data["total"]
