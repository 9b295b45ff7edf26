"""A custody sergeant asks the on-duty custody adviser for advice about a detention and records
it; the force mental health lead sees the protocols overdue for review."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from advisers import services as adviser_services
from advisers.models import AdviceRecord, Function
from detentions import services as detention_services
from people.models import Person
from protocols.demo import tiny_pdf
from protocols.services import upload_protocol
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def lead(make_user, force):
    return make_user("mhlead", force, Role.MH_TACTICAL_ADVISER, rank="sergeant")


def _fill_local(page, field, instant):
    local = timezone.localtime(instant)
    page.fill(f"#id_{field}", str(local.day))
    page.fill(f"#id_{field}-month", str(local.month))
    page.fill(f"#id_{field}-year", str(local.year))
    page.fill(f"#id_{field}-time", local.strftime("%H:%M"))


def test_a_custody_sergeant_requests_and_records_advice_from_a_detention(
    page, make_user, force, lead
):
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    make_user("custodysgt", force, Role.CUSTODY_SERGEANT, rank="sergeant")
    adviser_services.add_shift(
        force=force,
        function=Function.CUSTODY,
        adviser=lead,
        starts_at=now - dt.timedelta(hours=3),
        ends_at=now + dt.timedelta(hours=6),
    )
    person = Person.objects.create(organisation=force, given_name="Jordan", family_name="Hale")
    detention = detention_services.start_detention(
        organisation=force,
        person=person,
        power="s136",
        detained_at=now - dt.timedelta(minutes=40),
        mode="removed",
        location_kind="public_place",
        consultation={
            "consulted_at": now - dt.timedelta(minutes=45),
            "profession": "nurse",
            "name": "Nurse Triage",
            "advice": "Section 136 appropriate.",
        },
        conveyance_mode="ambulance",
    )

    page.sign_in("custodysgt", PASSWORD)
    page.visit(f"/detentions/{detention.pk}/")
    # The detention page has no "request advice" link yet: go to the page with the detention.
    page.visit(f"/advisers/request/?detention={detention.pk}")
    on_duty = page.locator("#on-duty-now")
    assert "Mhlead" in on_duty.inner_text()
    assert "No adviser on duty" in on_duty.inner_text()  # Response and Force Contact

    page.get_by_label("Custody").check()
    page.get_by_label("Adviser (optional)").select_option(str(lead.pk))
    _fill_local(page, "requested_at", now - dt.timedelta(minutes=10))
    _fill_local(page, "advice_given_at", now - dt.timedelta(minutes=5))
    page.get_by_label("Advice given").fill(
        "Ask the Northbridge suite to accept; ambulance rather than police vehicle."
    )
    page.get_by_role("button", name="Record advice").click()
    page.wait_for_selector(".advice-record")
    page.check_a11y("recorded")
    assert "Advice recorded." in page.content()
    assert "Ask the Northbridge suite" in page.locator(".advice-record").inner_text()

    record = AdviceRecord.objects.get()
    assert (record.detention_id, record.adviser_id, record.function) == (
        detention.pk,
        lead.pk,
        "custody",
    )
    assert record.requested_by.username == "custodysgt"


def test_the_force_mental_health_lead_sees_protocols_overdue_for_review(
    page, force, health_trust, lead
):
    today = timezone.localdate()
    for title, review_in in (("AWOL and absconded patients", -12), ("Conveyance", 200)):
        upload_protocol(
            force=force,
            partner=health_trust,
            topic="awol_absconded" if review_in < 0 else "conveyance",
            title=title,
            version="2.0",
            owner="Insp D. Hughes",
            signed_on=today - dt.timedelta(days=700),
            review_due_on=today + dt.timedelta(days=review_in),
            upload=SimpleUploadedFile(f"{title}.pdf", tiny_pdf(title)),
        )
    page.sign_in("mhlead", PASSWORD)
    page.visit("/protocols/")
    page.get_by_role("link", name="1 protocol overdue for review").click()
    page.wait_for_url("**/protocols/overdue/")
    page.check_a11y("overdue")
    table = page.locator("#overdue").inner_text()
    assert "AWOL and absconded patients" in table and "12 days" in table
    assert "Conveyance" not in table
