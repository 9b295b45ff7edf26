"""The live board, its fragment, a place's page and its status form."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from places_of_safety.models import PlaceOfSafety
from tests.security.otp import sign_in, sign_in_with_second_factor

from .conftest import T0

pytestmark = pytest.mark.django_db

BOARD = "/places-of-safety/"


def _text(response):
    return response.content.decode()


def test_board_shows_every_active_place_with_status_occupancy_and_transit(
    web, officer, make_place, detain, arrive
):
    suite = make_place("Willow Suite", capacity=1, accepts_under_18=True)
    make_place("Oak Suite", capacity=2, declared_status="closed", status_reason="No staff")
    make_place("Old Suite", active=False)
    arrive(detain(), suite)
    detain()  # no destination yet
    response = web.as_user(officer).get(BOARD)
    assert response.status_code == 200
    html = _text(response)
    assert "Willow Suite" in html and "Oak Suite" in html
    assert "Old Suite" not in html
    assert "1 of 1" in html  # full by capacity
    assert "At capacity (declared Open)" in html
    assert "No staff" in html
    assert "1 person detained and on the way" in html
    assert 'id="board-announcer"' in html and 'aria-live="polite"' in html
    assert 'id="board-refresh-link"' in html
    places = {p.name: p for p in response.context["places"]}
    assert places["Willow Suite"].effective_status == "full"
    assert places["Oak Suite"].effective_status == "closed"


def test_board_filters_work_without_javascript(web, officer, make_place, detain, arrive):
    make_place("Child Suite", capacity=2, accepts_under_18=True)
    make_place("Adult Suite", capacity=2)
    full = make_place("Busy Suite", capacity=1, accepts_under_18=True)
    make_place("Closed Suite", capacity=2, accepts_under_18=True, declared_status="closed")
    arrive(detain(), full)
    client = web.as_user(officer)

    def names(query):
        return [p.name for p in client.get(BOARD + query).context["places"]]

    assert names("") == ["Adult Suite", "Busy Suite", "Child Suite", "Closed Suite"]
    assert names("?under_18=on") == ["Busy Suite", "Child Suite", "Closed Suite"]
    assert names("?open_now=on") == ["Adult Suite", "Child Suite"]
    assert names("?under_18=on&open_now=on") == ["Child Suite"]


def test_the_fragment_is_the_board_alone_and_keeps_the_filters(web, nurse, make_place):
    make_place("Child Suite", accepts_under_18=True)
    make_place("Adult Suite")
    client = web.as_user(nurse)
    page = _text(client.get(BOARD + "?under_18=on"))
    assert 'data-fragment-url="/places-of-safety/board/fragment/?under_18=on"' in page
    fragment = client.get("/places-of-safety/board/fragment/?under_18=on")
    assert fragment.status_code == 200
    html = _text(fragment)
    assert "<html" not in html and "data-state=" in html
    assert "Child Suite" in html and "Adult Suite" not in html
    assert "no-cache" in fragment["Cache-Control"] or "max-age=0" in fragment["Cache-Control"]


def test_board_needs_sign_in_and_the_view_permission(client, make_user, partner_org):
    assert client.get(BOARD).status_code == 302
    assert client.get("/places-of-safety/board/fragment/").status_code == 302
    nobody = make_user("no-roles", partner_org, Role.AUDITOR)
    assert client.get(BOARD).status_code == 302
    sign_in(client, nobody)  # auditors pass a second factor (tests/security/otp.py)
    assert client.get(BOARD).status_code == 200  # auditors may view places


def _populate(make_place, detain, arrive, acute_trust, n_places, n_detentions):
    from detentions import services as svc

    places = [make_place(capacity=3) for _ in range(n_places)]
    for i in range(n_detentions):
        d = detain()
        if i % 3 == 0:
            continue  # in transit, no destination
        arrive(d, places[i % n_places])
        if i % 3 == 2:
            svc.record_transfer(
                d,
                to_place_of_safety=places[(i + 1) % n_places],
                departed_at=T0 + dt.timedelta(hours=1),
                reason="Bed elsewhere",
                now=T0 + dt.timedelta(hours=1, minutes=1),
            )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [BOARD, "/places-of-safety/board/fragment/?open_now=on"])
def test_board_uses_a_fixed_number_of_queries(
    web, officer, make_place, detain, arrive, acute_trust, url, django_assert_num_queries
):
    client = web.as_user(officer)
    _populate(make_place, detain, arrive, acute_trust, 2, 1)
    small = _count_queries(client, url)
    _populate(make_place, detain, arrive, acute_trust, 12, 30)
    assert PlaceOfSafety.objects.count() == 14
    with django_assert_num_queries(small):
        client.get(url)


def test_place_page_uses_a_fixed_number_of_queries(
    web, nurse, make_place, detain, arrive, acute_trust, django_assert_num_queries
):
    from detentions import services as svc

    place = make_place(capacity=40)
    client = web.as_user(nurse)
    arrive(detain(), place)
    small = _count_queries(client, f"/places-of-safety/{place.pk}/")
    other = make_place(capacity=40)
    for i in range(12):
        d = arrive(detain(), place if i % 2 else other)
        if i % 2 == 0:
            svc.record_transfer(
                d,
                to_place_of_safety=place,
                departed_at=T0 + dt.timedelta(hours=1),
                arrived_at=T0 + dt.timedelta(hours=1, minutes=20) if i % 4 == 0 else None,
                now=T0 + dt.timedelta(hours=2),
            )
        if i % 3 == 0:
            svc.record_handover(
                d,
                handed_over_at=T0 + dt.timedelta(hours=1, minutes=30),
                received_by="Nurse Ali",
                now=T0 + dt.timedelta(hours=2),
            )
    for reason in ("a", "b", "c"):
        from places_of_safety import services

        services.set_status(place, "full", reason)
    with django_assert_num_queries(small):
        client.get(f"/places-of-safety/{place.pk}/")


def test_place_page_shows_occupants_handover_countdown_officer_time_and_history(
    web, nurse, make_place, detain, arrive, time_machine
):
    from detentions import services as svc
    from places_of_safety import services

    place = make_place("Willow Suite", capacity=2)
    services.set_status(place, "closed", "Deep clean", actor_user=nurse)
    first = arrive(detain(), place, at=T0 + dt.timedelta(minutes=30))  # arrived while closed
    services.set_status(place, "open", "", actor_user=nurse)
    second = arrive(detain(), place, at=T0 + dt.timedelta(minutes=40))
    svc.record_handover(
        second,
        handed_over_at=T0 + dt.timedelta(minutes=85),
        received_by="Nurse Ali",
        now=T0 + dt.timedelta(minutes=90),
    )
    time_machine.move_to(T0 + dt.timedelta(minutes=75), tick=False)
    response = web.as_user(nurse).get(f"/places-of-safety/{place.pk}/")
    html = _text(response)
    occupants = {o["detention"].pk: o for o in response.context["occupants"]}
    assert occupants[first.pk]["flagged"] and occupants[first.pk]["status_at_arrival"] == "closed"
    assert not occupants[second.pk]["flagged"]  # open, one of two places taken
    # A4: due one hour after arrival; 45 minutes so far, 15 left
    assert occupants[first.pk]["handover_due_at"] == T0 + dt.timedelta(minutes=90)
    assert "Due in 15 minutes" in html
    assert occupants[first.pk]["officer_time"] == dt.timedelta(minutes=45)
    assert not occupants[first.pk]["officer_time_final"]
    # handed over: officer time is arrival to handover (45 minutes), final
    assert occupants[second.pk]["officer_time"] == dt.timedelta(minutes=45)
    assert occupants[second.pk]["officer_time_final"]
    assert "Handed over at" in html and "Nurse Ali" in html
    assert first.reference in html  # the operator sees who is there
    assert "Arrived while closed" in html
    assert "Arrivals while full or closed" in html
    assert "Deep clean" in html and "Status history" in html
    assert "Set the status" in html  # own staff get the form


def test_handover_overdue_is_shown(web, nurse, make_place, detain, arrive, time_machine):
    place = make_place(capacity=2)
    arrive(detain(), place, at=T0 + dt.timedelta(minutes=30))
    time_machine.move_to(T0 + dt.timedelta(hours=2), tick=False)
    html = _text(web.as_user(nurse).get(f"/places-of-safety/{place.pk}/"))
    assert "Overdue by 30 minutes" in html


def test_people_at_a_place_are_hidden_from_outsiders(
    web, outsider_officer, officer, make_place, detain, arrive
):
    place = make_place(capacity=2)
    detention = arrive(detain(), place)
    outsider_html = _text(web.as_user(outsider_officer).get(f"/places-of-safety/{place.pk}/"))
    assert detention.reference not in outsider_html
    assert "Another organisation's detention" in outsider_html
    assert "Set the status" not in outsider_html
    force_html = _text(web.as_user(officer).get(f"/places-of-safety/{place.pk}/"))
    assert detention.reference in force_html  # the detaining force sees its own


def test_unknown_place_is_404(web, officer):
    assert web.as_user(officer).get("/places-of-safety/999999/").status_code == 404


# --- The status form -----------------------------------------------------------------------


def test_own_staff_set_their_places_status_from_the_page(web, nurse, make_place):
    place = make_place(capacity=2)
    client = web.as_user(nurse)
    response = client.post(
        f"/places-of-safety/{place.pk}/status/", {"status": "full", "reason": "Two in the suite"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/places-of-safety/{place.pk}/"
    place.refresh_from_db()
    assert (place.declared_status, place.status_reason, place.status_updated_by) == (
        "full",
        "Two in the suite",
        nurse,
    )
    change = place.status_changes.first()
    assert (change.status, change.set_by, change.set_by_label) == ("full", nurse, "nurse")
    assert change.history.first().changed_by == "nurse"
    html = _text(client.get(f"/places-of-safety/{place.pk}/"))
    assert "Two in the suite" in html


def test_the_form_requires_a_reason_for_closed_and_shows_the_error_summary(web, nurse, make_place):
    place = make_place()
    response = web.as_user(nurse).post(
        f"/places-of-safety/{place.pk}/status/", {"status": "closed", "reason": ""}
    )
    assert response.status_code == 200
    html = _text(response)
    assert "govuk-error-summary" in html and "Give the reason the place is full or closed." in html
    place.refresh_from_db()
    assert place.declared_status == "open"


@pytest.mark.parametrize("who", ["sergeant", "other_trust_nurse", "outsider_officer", "auditor"])
def test_others_may_not_set_the_status(request, web, make_place, who):
    user = request.getfixturevalue(who)
    place = make_place()
    client = sign_in_with_second_factor(web.as_user(user), user)
    response = client.post(
        f"/places-of-safety/{place.pk}/status/", {"status": "closed", "reason": "x"}
    )
    assert response.status_code == 403
    assert "Set the status" not in _text(client.get(f"/places-of-safety/{place.pk}/"))
    place.refresh_from_db()
    assert place.declared_status == "open"


def test_police_staff_cannot_set_a_health_place_even_as_its_operator(
    web, make_user, force, make_place
):
    """Server-side: a police user never changes a health-based place's status."""
    custody_staff = make_user("custody-staff", force, Role.PLACE_OF_SAFETY_STAFF)
    odd = make_place("Force-run suite", organisation=force)
    station = make_place("Central custody", kind="police_station", organisation=force)
    client = web.as_user(custody_staff)
    assert (
        client.post(
            f"/places-of-safety/{odd.pk}/status/", {"status": "closed", "reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/places-of-safety/{station.pk}/status/", {"status": "full", "reason": "Cells full"}
        ).status_code
        == 302
    )


def test_an_administrator_may_set_any_places_status(web, admin_user, make_place, acute_trust):
    place = make_place(organisation=acute_trust)
    response = web.as_user(admin_user).post(
        f"/places-of-safety/{place.pk}/status/", {"status": "closed", "reason": "Decommissioned"}
    )
    assert response.status_code == 302


def test_nav_entry_is_registered(web, officer):
    html = _text(web.as_user(officer).get("/"))
    assert 'href="/places-of-safety/"' in html


def test_admin_shows_the_status_history_read_only(client, make_user, health_trust, make_place):
    from places_of_safety import services

    place = make_place()
    services.set_status(place, "closed", "Refurbishment")
    admin = make_user("root", health_trust, Role.ADMINISTRATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    sign_in(client, admin)
    response = client.get(f"/admin/places_of_safety/placeofsafety/{place.pk}/change/")
    assert response.status_code == 200
    assert "Refurbishment" in response.content.decode()


def test_occupants_link_to_the_detention_page_for_those_who_may_see_it(
    web, nurse, make_place, detain, arrive
):
    place = make_place(capacity=2)
    detention = arrive(detain(), place)
    html = _text(web.as_user(nurse).get(f"/places-of-safety/{place.pk}/"))
    assert f'href="/detentions/{detention.pk}/"' in html
