"""Force, search and restraint through the service (the one door): what is stored, which uses
are for review, what is refused (nothing written), late entries and history."""

from datetime import timedelta

import pytest

from core.actor import acting_as, user_actor
from detentions.errors import RuleViolation
from tests.api import helpers as h
from use_of_force import services
from use_of_force.models import ProtectiveSearch, UseOfForce

from .conftest import force_fields, search_fields

pytestmark = pytest.mark.django_db


def test_a_tactic_is_recorded_with_who_when_where_why_and_injuries(detention, officer):
    with acting_as(user_actor(officer)):
        use = services.record_use_of_force(
            detention,
            **force_fields(
                person_injured=True, injury_detail="Graze to the left wrist from the cuffs"
            ),
        )
    use.refresh_from_db()
    assert (use.officer_name, use.officer_number, use.tactic) == (
        "PC Amber Hale",
        "4411",
        "handcuffs",
    )
    assert use.used_at == h.T0 + timedelta(minutes=5)
    assert use.reasons == ["protect_subject", "prevent_escape"]
    assert (use.person_injured, use.officer_injured) == (True, False)
    assert use.recorded_by == "officer"
    assert use.review_required is False  # handcuffs in the street
    assert use.entered_late is False
    row = UseOfForce.history.get(id=use.pk)
    assert (row.history_type, row.changed_by) == ("+", "officer")


def test_prone_restraint_is_for_review_wherever_it_happens(detention):
    use = services.record_use_of_force(detention, **force_fields(tactic="prone_restraint"))
    assert use.review_required is True


def test_a_restraint_at_a_health_based_place_is_for_review_and_the_place_is_where_they_were(
    detention, suite
):
    # Arrived at the suite at T0 + 1h: a restraint at a place of safety 30 minutes later was there.
    use = services.record_use_of_force(
        detention,
        **force_fields(
            tactic="limb_restraints",
            location="place_of_safety",
            used_at=h.T0 + timedelta(hours=1, minutes=30),
        ),
    )
    assert use.place_of_safety == suite
    assert use.review_required is True


def test_a_taser_drawn_at_the_suite_is_not_a_restraint(detention):
    use = services.record_use_of_force(
        detention,
        **force_fields(
            tactic="taser_drawn",
            location="place_of_safety",
            used_at=h.T0 + timedelta(hours=1, minutes=30),
        ),
    )
    assert use.review_required is False


def test_a_restraint_at_an_emergency_department_is_not_listed(moved_on, ed):
    use = services.record_use_of_force(
        moved_on,
        **force_fields(
            tactic="body_restraints",
            location="place_of_safety",
            used_at=h.T0 + timedelta(hours=2, minutes=30),
        ),
    )
    assert use.place_of_safety == ed
    assert use.review_required is False


@pytest.mark.parametrize(
    ("overrides", "attr", "code"),
    [
        ({"used_at": h.T0 - timedelta(minutes=1)}, "used_at", "time_order"),
        ({"used_at": h.NOW + timedelta(days=400)}, "used_at", "time_order"),
        ({"tactic": "other"}, "tactic_detail", "required"),
        ({"reasons": []}, "reasons", "required"),
        ({"reasons": ["other"]}, "reason_detail", "required"),
        ({"officer_injured": True}, "injury_detail", "required"),
        # Before arrival there is no place of safety to infer.
        ({"location": "place_of_safety"}, "place_of_safety", "required"),
    ],
)
def test_refusals_change_nothing(detention, overrides, attr, code):
    with pytest.raises(RuleViolation) as exc:
        services.record_use_of_force(detention, **force_fields(**overrides))
    assert [(v.attr, v.code) for v in exc.value.violations] == [(attr, code)]
    assert not UseOfForce.objects.exists()
    assert not UseOfForce.history.exists()


def test_a_place_is_given_only_for_a_place_of_safety(detention, suite):
    with pytest.raises(RuleViolation) as exc:
        services.record_use_of_force(detention, **force_fields(place_of_safety=suite))
    assert exc.value.codes == ["invalid"]


def test_after_the_end_a_record_within_the_detention_is_entered_late(ended):
    use = services.record_use_of_force(ended, **force_fields())
    assert use.entered_late is True
    with pytest.raises(RuleViolation) as exc:
        services.record_use_of_force(ended, **force_fields(used_at=h.T0 + timedelta(hours=4)))
    assert exc.value.codes == ["time_order"]


def test_a_protective_search(detention, officer):
    with acting_as(user_actor(officer)):
        search = services.record_search(detention, **search_fields())
    search.refresh_from_db()
    assert search.items_found is True
    assert search.kept_description == "Craft knife"
    assert ProtectiveSearch.history.get(id=search.pk).changed_by == "officer"


@pytest.mark.parametrize(
    ("overrides", "attr", "code"),
    [
        ({"grounds": "  "}, "grounds", "required"),
        ({"found_description": ""}, "found_description", "required"),
        ({"items_found": False}, "items_found", "invalid"),  # but says what was found
        ({"searched_at": h.T0 - timedelta(hours=1)}, "searched_at", "time_order"),
    ],
)
def test_search_refusals_change_nothing(detention, overrides, attr, code):
    with pytest.raises(RuleViolation) as exc:
        services.record_search(detention, **search_fields(**overrides))
    assert [(v.attr, v.code) for v in exc.value.violations] == [(attr, code)]
    assert not ProtectiveSearch.objects.exists()


def test_the_review_is_audited(detention, mhlead):
    use = services.record_use_of_force(detention, **force_fields(tactic="prone_restraint"))
    with acting_as(user_actor(mhlead)):
        services.record_review(use, decision="learning_identified", note="Debrief the team.")
    use.refresh_from_db()
    assert (use.review_decision, use.reviewed_by) == ("learning_identified", "mhlead")
    latest = UseOfForce.history.filter(id=use.pk).latest("history_date")
    assert (latest.changed_by, latest.history_change_reason) == ("mhlead", "review")
    assert latest.review_note == "Debrief the team."


def test_only_listed_uses_are_reviewed_and_a_note_is_required(detention):
    use = services.record_use_of_force(detention, **force_fields())
    with pytest.raises(RuleViolation) as exc:
        services.record_review(use, decision="no_concerns", note="")
    assert set(exc.value.codes) == {"review_not_required", "required"}


def test_the_demo_adds_records_once(force, ended):
    import io

    from demo import use_of_force as demo

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert UseOfForce.objects.filter(detention=ended).count() == 1  # the first: prone
    assert UseOfForce.objects.get().review_required is True
    assert ProtectiveSearch.objects.filter(detention=ended).count() == 1
