"""The roster: who is on duty at an instant (across the clock changes), overlaps, gaps."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from advisers import services
from advisers.models import Function, RosterShift
from tests.advisers.helpers import sign_in

from .conftest import local_parts, utc

pytestmark = pytest.mark.django_db


def add(force, adviser, start, end, function=Function.CUSTODY):
    return services.add_shift(
        force=force, function=function, adviser=adviser, starts_at=start, ends_at=end
    )


# --- entered as UK local times through the page -------------------------------------------


def post_shift(client, adviser, start, end, function="custody"):
    data = {"function": function, "adviser": str(adviser.pk), "notes": ""}
    data.update(local_parts("starts_at", *start))
    data.update(local_parts("ends_at", *end))
    return client.post("/advisers/roster/shifts/new/", data)


def test_a_night_shift_across_the_october_change_lasts_ten_hours(web, mh_lead):
    # 22:00 BST on Saturday 24 Oct 2026 to 07:00 GMT on Sunday 25 Oct: the clocks go back.
    response = post_shift(
        sign_in(web, mh_lead), mh_lead, (24, 10, 2026, "22:00"), (25, 10, 2026, "07:00")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shift = RosterShift.objects.get()
    assert shift.starts_at == utc(2026, 10, 24, 21, 0)
    assert shift.ends_at == utc(2026, 10, 25, 7, 0)
    assert shift.duration == dt.timedelta(hours=10)


def test_a_night_shift_across_the_march_change_lasts_eight_hours(web, mh_lead):
    # 22:00 GMT on Saturday 28 Mar 2026 to 07:00 BST on Sunday 29 Mar: the clocks go forward.
    response = post_shift(
        sign_in(web, mh_lead), mh_lead, (28, 3, 2026, "22:00"), (29, 3, 2026, "07:00")
    )
    assert response.status_code == 302
    shift = RosterShift.objects.get()
    assert (shift.starts_at, shift.ends_at) == (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0))
    assert shift.duration == dt.timedelta(hours=8)


def test_an_ambiguous_local_time_asks_which_one_then_takes_the_answer(web, mh_lead):
    client = sign_in(web, mh_lead)
    response = post_shift(client, mh_lead, (25, 10, 2026, "01:30"), (25, 10, 2026, "09:00"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "happened twice" in body and "Which one was it?" in body
    assert not RosterShift.objects.exists()
    data = {"function": "custody", "adviser": str(mh_lead.pk), "notes": ""}
    data.update(local_parts("starts_at", 25, 10, 2026, "01:30", fold="1"))  # the GMT one
    data.update(local_parts("ends_at", 25, 10, 2026, "09:00"))
    assert client.post("/advisers/roster/shifts/new/", data).status_code == 302
    assert RosterShift.objects.get().starts_at == utc(2026, 10, 25, 1, 30)


def test_a_local_time_that_did_not_exist_is_refused_with_guidance(web, mh_lead):
    response = post_shift(
        sign_in(web, mh_lead), mh_lead, (29, 3, 2026, "01:30"), (29, 3, 2026, "09:00")
    )
    assert response.status_code == 200
    assert "did not happen in the UK" in response.content.decode()
    assert not RosterShift.objects.exists()


# --- on duty at an instant -------------------------------------------------------------------


def test_on_duty_at_instants_through_the_october_change(force, mh_lead, adviser2):
    night = add(force, mh_lead, utc(2026, 10, 24, 21, 0), utc(2026, 10, 25, 7, 0))
    day = add(force, adviser2, utc(2026, 10, 25, 7, 0), utc(2026, 10, 25, 17, 0))
    # 01:30 happens twice that night (00:30Z BST and 01:30Z GMT): the adviser is on for both.
    for instant in (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 6, 59)):
        assert list(services.on_duty(force, Function.CUSTODY, instant)) == [night]
    # The end is exclusive: at 07:00 GMT the day shift has taken over.
    assert list(services.on_duty(force, Function.CUSTODY, utc(2026, 10, 25, 7, 0))) == [day]
    assert list(services.on_duty(force, Function.CUSTODY, utc(2026, 10, 24, 20, 59))) == []
    assert list(services.on_duty(force, Function.RESPONSE, utc(2026, 10, 25, 1, 0))) == []


def test_on_duty_at_instants_through_the_march_change(force, mh_lead):
    night = add(force, mh_lead, utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 6, 0))
    assert list(services.on_duty(force, Function.CUSTODY, utc(2026, 3, 29, 0, 59))) == [night]
    # 01:00Z is 02:00 BST; 05:59Z is 06:59 BST: still on; 06:00Z (07:00 BST) off.
    assert list(services.on_duty(force, Function.CUSTODY, utc(2026, 3, 29, 1, 0))) == [night]
    assert list(services.on_duty(force, Function.CUSTODY, utc(2026, 3, 29, 5, 59))) == [night]
    assert list(services.on_duty(force, Function.CUSTODY, utc(2026, 3, 29, 6, 0))) == []


def test_on_duty_is_per_force(force, other_force, mh_lead, outsider_lead):
    add(force, mh_lead, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
    add(other_force, outsider_lead, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
    at = utc(2026, 5, 1, 12)
    assert [s.adviser for s in services.on_duty(force, Function.CUSTODY, at)] == [mh_lead]


# --- validation --------------------------------------------------------------------------------


def test_overlapping_shifts_for_the_same_adviser_are_refused(force, mh_lead):
    add(force, mh_lead, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
    with pytest.raises(ValidationError) as exc:
        # Overlap even on another function: one person cannot advise two desks at once.
        add(force, mh_lead, utc(2026, 5, 1, 17), utc(2026, 5, 2, 1), function=Function.RESPONSE)
    assert "cannot overlap" in str(exc.value.message_dict["starts_at"])
    assert RosterShift.objects.count() == 1


def test_back_to_back_shifts_and_other_advisers_are_allowed(force, mh_lead, adviser2):
    add(force, mh_lead, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
    add(force, mh_lead, utc(2026, 5, 1, 18), utc(2026, 5, 2, 2))
    add(force, adviser2, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
    assert RosterShift.objects.count() == 3


def test_end_must_follow_start_and_shifts_have_a_maximum_length(force, mh_lead):
    with pytest.raises(ValidationError) as exc:
        add(force, mh_lead, utc(2026, 5, 1, 8), utc(2026, 5, 1, 8))
    assert "end after it starts" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        add(force, mh_lead, utc(2026, 5, 1, 8), utc(2026, 5, 2, 8))
    assert "at most 16 hours" in str(exc.value)


def test_only_the_forces_own_advisers_can_be_rostered(force, officer, outsider_lead):
    for user in (officer, outsider_lead):
        with pytest.raises(ValidationError) as exc:
            add(force, user, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
        assert "adviser" in exc.value.message_dict


def test_editing_a_shift_keeps_the_overlap_rule(force, mh_lead):
    first = add(force, mh_lead, utc(2026, 5, 1, 8), utc(2026, 5, 1, 18))
    second = add(force, mh_lead, utc(2026, 5, 2, 8), utc(2026, 5, 2, 18))
    # Moving a shift over itself is fine; onto another is not.
    services.update_shift(
        first,
        function=first.function,
        adviser=mh_lead,
        starts_at=utc(2026, 5, 1, 9),
        ends_at=utc(2026, 5, 1, 19),
    )
    with pytest.raises(ValidationError):
        services.update_shift(
            second,
            function=second.function,
            adviser=mh_lead,
            starts_at=utc(2026, 5, 1, 12),
            ends_at=utc(2026, 5, 1, 20),
        )


# --- gaps ----------------------------------------------------------------------------------------


def test_uncovered_is_the_complement_of_the_shifts():
    t = lambda h: utc(2026, 5, 1) + dt.timedelta(hours=h)  # noqa: E731
    assert services.uncovered([], t(0), t(24)) == [(t(0), t(24))]
    assert services.uncovered([(t(2), t(10)), (t(8), t(12)), (t(14), t(30))], t(0), t(24)) == [
        (t(0), t(2)),
        (t(12), t(14)),
    ]
    assert services.uncovered([(t(-5), t(30))], t(0), t(24)) == []


def test_gaps_in_the_coming_week_per_function(force, mh_lead, adviser2):
    start = utc(2026, 5, 1, 7)
    # Custody covered continuously for 7 days except 10:00-12:00 on day 3.
    for d in range(7):
        s = start + dt.timedelta(days=d)
        if d == 2:
            add(force, mh_lead, s, s + dt.timedelta(hours=3))
            add(force, mh_lead, s + dt.timedelta(hours=5), s + dt.timedelta(hours=12))
        else:
            add(force, mh_lead, s, s + dt.timedelta(hours=12))
        add(force, adviser2, s + dt.timedelta(hours=12), s + dt.timedelta(hours=24))
    found = services.gaps(force, start)
    custody = [g for g in found if g.function == Function.CUSTODY]
    assert [(g.starts_at, g.ends_at) for g in custody] == [
        (utc(2026, 5, 3, 10), utc(2026, 5, 3, 12))
    ]
    # Response and Force Contact have nobody: the whole week is one gap each.
    others = [g for g in found if g.function != Function.CUSTODY]
    assert {(g.function, g.duration) for g in others} == {
        (Function.RESPONSE, dt.timedelta(days=7)),
        (Function.FORCE_CONTACT, dt.timedelta(days=7)),
    }
