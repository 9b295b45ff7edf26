"""The pages: a GET and a POST per form (errors name the field, nothing pre-selected), the
detention page's section, permissions (wrong role 403, another force 404, a place the person
has left 403), the lead's review list and review, and the history page."""

from datetime import timedelta

import pytest

from accounts.roles import Role
from tests.api import helpers as h
from tests.pages.helpers import local
from use_of_force import services
from use_of_force.models import ProtectiveSearch, UseOfForce

from .conftest import force_fields

pytestmark = pytest.mark.django_db


def force_url(d, what="use-of-force"):
    return f"/detentions/{d.pk}/{what}/new/"


def search_url(d):
    return force_url(d, "searches")


def force_form(**overrides):
    data = {
        "officer_name": "PC Amber Hale",
        "officer_number": "4411",
        "tactic": "prone_restraint",
        "location": "street",
        "reasons": ["protect_subject", "prevent_harm"],
        "person_injured": "no",
        "officer_injured": "no",
        **local("used_at", h.T0 + timedelta(minutes=5)),
    }
    data.update(overrides)
    return data


def search_form(**overrides):
    data = {
        "officer_name": "PC Amber Hale",
        "location": "street",
        "grounds": "Threatened to cut himself; bulge in his pocket",
        "items_found": "yes",
        "found_description": "Razor blade",
        "kept_description": "Razor blade",
        **local("searched_at", h.T0 + timedelta(minutes=10)),
    }
    data.update(overrides)
    return data


def test_the_use_of_force_form_has_nothing_pre_selected(web, officer, detention):
    response = web.as_user(officer).get(force_url(detention))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record a use of force" in html
    assert " checked" not in html  # no radio or checkbox chosen for the officer
    used_at = response.context["form"]["used_at"].value()
    assert not used_at or not any(used_at.values())  # no time filled in for them either


def test_record_a_use_of_force_from_the_page(web, officer, detention):
    client = web.as_user(officer)
    response = client.post(force_url(detention), force_form())
    assert response.status_code == 302
    assert response["Location"] == f"/detentions/{detention.pk}/"
    use = UseOfForce.objects.get()
    assert (use.tactic, use.reasons, use.review_required) == (
        "prone_restraint",
        ["protect_subject", "prevent_harm"],
        True,
    )
    assert UseOfForce.history.get().changed_by == "officer"
    page = client.get(f"/detentions/{detention.pk}/").content.decode()
    assert "Force, search and restraint" in page
    assert "Prone restraint (face down)" in page
    assert "Awaiting review" in page


def test_errors_name_the_field_and_keep_the_input(web, officer, detention):
    response = web.as_user(officer).post(
        force_url(detention),
        force_form(tactic="", officer_name="", person_injured="yes", reasons=[]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["tactic"] == ["Choose the tactic used"]
    assert form.errors["officer_name"] == ["Enter the officer's name"]
    html = response.content.decode()
    assert "There is a problem" in html
    assert not UseOfForce.objects.exists()
    # The service's refusals, beside their fields.
    response = web.as_user(officer).post(
        force_url(detention), force_form(person_injured="yes", reasons=[])
    )
    form = response.context["form"]
    assert form.errors["injury_detail"] == ["Describe the injuries."]
    assert form.errors["reasons"] == ["Choose at least one reason."]
    assert not UseOfForce.objects.exists()


def test_record_a_search_from_the_page(web, officer, detention):
    client = web.as_user(officer)
    response = client.get(search_url(detention))
    assert response.status_code == 200
    assert " checked" not in response.content.decode()
    response = client.post(search_url(detention), search_form())
    assert response.status_code == 302
    search = ProtectiveSearch.objects.get()
    assert (search.items_found, search.kept_description) == (True, "Razor blade")
    page = client.get(f"/detentions/{detention.pk}/").content.decode()
    assert "Protective search (s136C)" in page and "Razor blade" in page


def test_search_errors_name_the_field(web, officer, detention):
    response = web.as_user(officer).post(
        search_url(detention),
        search_form(grounds="", items_found="", **local("searched_at", h.T0 - timedelta(hours=2))),
    )
    form = response.context["form"]
    assert form.errors["grounds"] == ["Give the grounds for the search"]
    assert form.errors["items_found"] == ["Say whether anything was found"]
    response = web.as_user(officer).post(
        search_url(detention), search_form(**local("searched_at", h.T0 - timedelta(hours=2)))
    )
    assert response.context["form"].errors["searched_at"] == [
        "This is before the detention began. Check the date and time."
    ]
    assert not ProtectiveSearch.objects.exists()


def test_permissions(web, make_user, force, outsider_officer, nurse, detention, moved_on):
    npu_lead = make_user("npulead", force, Role.NPU_LEAD, rank="inspector")
    assert web.as_user(npu_lead).get(force_url(detention)).status_code == 403
    assert web.as_user(outsider_officer).get(force_url(detention)).status_code == 404
    assert (
        web.as_user(outsider_officer).post(search_url(detention), search_form()).status_code == 404
    )
    # The suite's staff can still see the detention after it moved on, but not record on it.
    assert web.as_user(nurse).get(f"/detentions/{detention.pk}/").status_code == 200
    assert web.as_user(nurse).post(force_url(detention), force_form()).status_code == 403
    assert not UseOfForce.objects.exists() and not ProtectiveSearch.objects.exists()


def test_signed_out_goes_to_sign_in(client, detention):
    response = client.get(force_url(detention))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.fixture
def prone(detention):
    return services.record_use_of_force(detention, **force_fields(tactic="prone_restraint"))


def test_the_review_list_and_a_review(web, mhlead, officer, detention, prone):
    street_cuffs = services.record_use_of_force(detention, **force_fields())
    client = web.as_user(mhlead)
    response = client.get("/use-of-force/reviews/")
    assert response.status_code == 200
    assert [u.pk for u in response.context["rows"]] == [prone.pk]  # not the street handcuffs
    assert street_cuffs.pk not in [u.pk for u in response.context["rows"]]
    review_url = f"/use-of-force/reviews/{prone.pk}/"
    response = client.get(review_url)
    assert response.status_code == 200
    assert " checked" not in response.content.decode()
    response = client.post(review_url, {"decision": "", "note": ""})
    assert response.context["form"].errors == {
        "decision": ["Choose your decision"],
        "note": ["Write a note of the review"],
    }
    response = client.post(review_url, {"decision": "no_concerns", "note": "Proportionate."})
    assert response.status_code == 302
    prone.refresh_from_db()
    assert (prone.review_decision, prone.reviewed_by) == ("no_concerns", "mhlead")
    assert client.get("/use-of-force/reviews/").context["rows"] == []
    assert [u.pk for u in client.get("/use-of-force/reviews/?show=all").context["rows"]] == [
        prone.pk
    ]
    # Others may not review.
    assert web.as_user(officer).get("/use-of-force/reviews/").status_code == 403
    assert web.as_user(officer).get(review_url).status_code == 403


def test_another_forces_lead_sees_nothing(web, make_user, other_force, prone):
    lead = make_user("westlead", other_force, Role.MH_TACTICAL_ADVISER, rank="sergeant")
    client = web.as_user(lead)
    assert client.get("/use-of-force/reviews/").context["rows"] == []
    assert client.get(f"/use-of-force/reviews/{prone.pk}/").status_code == 404


def test_history_pages(web, officer, auditor, detention, prone):
    client = web.as_user(officer)
    response = client.get(f"/audit/history/use_of_force.useofforce/{prone.pk}/")
    assert response.status_code == 200
    assert "Prone restraint (face down)" in response.content.decode()
    response = client.get(f"/audit/history/incidents.detention/{detention.pk}/")
    assert response.status_code == 200
    assert "Use of force" in response.content.decode()


def test_read_only_users_see_the_records_but_no_record_buttons(web, make_user, force, prone):
    npu_lead = make_user("npulead", force, Role.NPU_LEAD, rank="inspector")
    html = web.as_user(npu_lead).get(f"/detentions/{prone.detention_id}/").content.decode()
    assert "Prone restraint (face down)" in html
    assert "/use-of-force/new/" not in html and "/searches/new/" not in html


def test_the_review_list_query_count_does_not_grow(web, mhlead, detention, prone):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web.as_user(mhlead)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/use-of-force/reviews/").status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for _i in range(4):
        services.record_use_of_force(detention, **force_fields(tactic="prone_restraint"))
    assert count() == one
