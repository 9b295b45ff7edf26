"""People: search, possible duplicates, merging (never silent), repeat contact, the timeline."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.actor import acting_as, user_actor
from detentions.models import Detention
from people import services
from people.models import Person
from tests import factories
from tests.incidents.helpers import T0, make_incident, make_person

pytestmark = pytest.mark.django_db

DOB = date(1990, 5, 17)


def start_detention(force, person, at=T0):
    return factories.detention(
        force,
        person,
        detained_at=at,
        consultation=None,
        consultation_not_practicable_reason="Immediate risk on the bridge.",
        conveyance_mode="",
        now=at + timedelta(minutes=5),
    )


def test_search_is_partial_and_ignores_case_and_accents(force):
    zoe = make_person(force, "Zoë", "O'Brien-Smith", DOB)
    make_person(force, "Zack", "Brown")
    qs = Person.objects.visible_to_organisation(force.pk).current()
    assert list(qs.search("zoe")) == [zoe]
    assert list(qs.search("ZOË o'brien")) == [zoe]
    assert list(qs.search("brien smi")) == [zoe]
    assert list(qs.search("", date_of_birth=DOB)) == [zoe]
    assert set(qs.search("z")) == set(qs)


def test_search_by_nhs_number(force):
    person = make_person(force, nhs_number="943 476 5919")
    assert person.nhs_number == "9434765919"
    qs = Person.objects.current()
    assert list(qs.search("943 476 5919")) == [person]
    assert list(qs.search(nhs_number="9434765919")) == [person]


def test_invalid_nhs_number_is_refused_with_its_code(force):
    with pytest.raises(ValidationError) as exc:
        make_person(force, nhs_number="9434765918")
    assert exc.value.error_dict["nhs_number"][0].code == "invalid_nhs_number"


def test_possible_duplicates_same_birth_date_and_similar_name(force, other_force):
    person = make_person(force, "Jonathan", "Smith", DOB)
    typo = make_person(force, "Jonathon", "Smyth", DOB)
    swapped = make_person(force, "Smith", "Jonathan", DOB)
    make_person(force, "Jonathan", "Smith", date(1991, 5, 17))  # other birth date
    make_person(force, "Mary", "Jones", DOB)  # same birth date, other name
    make_person(other_force, "Jonathan", "Smith", DOB)  # other force: never shown
    found = list(services.possible_duplicates(person))
    assert set(found) == {typo, swapped}


def test_same_nhs_number_is_a_possible_duplicate(force):
    a = make_person(force, "A", "One", nhs_number="9434765919")
    b = make_person(force, "Bee", "Other", nhs_number="9434765919")
    assert list(services.possible_duplicates(a)) == [b]


def test_duplicates_before_creating(force):
    existing = make_person(force, "Jonathan", "Smith", DOB)
    found = services.find_duplicates_for(
        force.pk, given_name="jon", family_name="smith", date_of_birth=DOB
    )
    assert list(found) == [existing]


def test_merge_moves_everything_and_is_recorded(force, officer):
    keep = make_person(force, "Jonathan", "Smith", DOB)
    merge = make_person(force, "Jon", "Smith", DOB)
    incident = make_incident(force, people=[merge])
    shared = make_incident(force, people=[keep, merge])
    detention = start_detention(force, merge)
    with acting_as(user_actor(officer)):
        services.merge_people(keep=keep, merge=merge, reason="Same person: NHS record checked.")
    merge.refresh_from_db()
    assert merge.merged_into == keep and merge.merged_by == "officer"
    assert list(incident.people.all()) == [keep]
    assert list(shared.people.all()) == [keep]
    detention.refresh_from_db()
    assert detention.person == keep
    last = merge.history.latest()
    assert (last.changed_by, last.history_change_reason) == (
        "officer",
        "Same person: NHS record checked.",
    )
    assert "Merged Jon Smith" in keep.history.latest().history_change_reason
    assert detention.history.latest().changed_by == "officer"
    # Hidden from search and from duplicates.
    assert list(Person.objects.current().search("jon")) == [keep]
    assert list(services.possible_duplicates(keep)) == []


def test_merge_repoints_every_relation_pointing_at_a_person(force, partner_org):
    """Every relation pointing at Person (its `_meta`, not a list kept here) has a row pointing
    at the merged-away person before the merge and none after: each of them now points at the
    kept person. A relation added later without a row here fails the first assertion; one the
    merge forgets, the second."""
    from partners.services import send_referral

    keep = make_person(force, "Jonathan", "Smith", DOB)
    merge = make_person(force, "Jon", "Smith", DOB)
    incident = make_incident(force, people=[merge])
    start_detention(force, merge)
    send_referral(
        from_organisation=force,
        to_organisation=partner_org,
        service="liaison_diversion",
        person=merge,
        reason="Repeated crises; would benefit from L&D assessment.",
        urgency="urgent",
        consent="given",
        incident=incident,
        now=T0 + timedelta(hours=1),
    )
    from people import plans

    plans.create_plan(person=merge, author_organisation=force, what_helps="A quiet room")

    def pointing_at(person):
        return {
            f"{r.related_model._meta.label}.{r.field.name}": r.related_model._default_manager.filter(
                **{r.field.name: person}
            ).count()
            for r in Person._meta.related_objects
            # The merge's own link: people merged earlier into a record stay merged into it.
            if (r.related_model, r.field.name) != (Person, "merged_into")
        }

    before = pointing_at(merge)
    assert all(before.values()), before
    services.merge_people(keep=keep, merge=merge, reason="Same person: NHS record checked.")
    assert not any(pointing_at(merge).values()), pointing_at(merge)
    assert pointing_at(keep) == before


def test_merge_needs_a_reason(force):
    keep, merge = make_person(force), make_person(force)
    with pytest.raises(ValidationError) as exc:
        services.merge_people(keep=keep, merge=merge, reason=" ")
    assert exc.value.error_dict["reason"][0].code == "required"
    merge.refresh_from_db()
    assert merge.merged_into is None


def test_two_active_detentions_cannot_be_merged(force):
    keep, merge = make_person(force, dob=DOB), make_person(force, dob=DOB)
    start_detention(force, keep)
    start_detention(force, merge)
    with pytest.raises(ValidationError) as exc:
        services.merge_people(keep=keep, merge=merge, reason="duplicate")
    assert exc.value.code == "merge_active_detentions"
    assert Detention.objects.filter(person=keep).count() == 1
    merge.refresh_from_db()
    assert merge.merged_into is None


def test_one_active_detention_can_be_merged(force):
    keep, merge = make_person(force, dob=DOB), make_person(force, dob=DOB)
    start_detention(force, merge)
    services.merge_people(keep=keep, merge=merge, reason="duplicate")
    assert Detention.objects.filter(person=keep, ended_at__isnull=True).count() == 1


def test_other_force_and_already_merged_are_refused(force, other_force):
    a, b, c = make_person(force), make_person(force), make_person(other_force)
    with pytest.raises(ValidationError) as exc:
        services.merge_people(keep=a, merge=c, reason="x")
    assert exc.value.code == "merge_other_force"
    services.merge_people(keep=a, merge=b, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.merge_people(keep=b, merge=a, reason="x")
    assert exc.value.code == "person_merged"
    with pytest.raises(ValidationError) as exc:
        services.update_person(b, given_name="New")
    assert exc.value.code == "person_merged"


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _incidents(force, person, days_ago):
    for d in days_ago:
        at = NOW - timedelta(days=d)
        make_incident(force, at=at, people=[person], now=NOW)


def test_repeat_contact_default_three_in_ninety_days(force):
    frequent = make_person(force, "Frequent", "Caller")
    edge = make_person(force, "Edge", "Case")
    twice = make_person(force, "Twice", "Only")
    _incidents(force, frequent, [1, 10, 89])
    _incidents(force, edge, [1, 10, 91])  # the third is outside the window
    _incidents(force, twice, [1, 2])
    with time_machine.travel(NOW, tick=False):
        rows = list(services.people_with_repeated_contact(force.pk))
    assert [(p, p.incident_count) for p in rows] == [(frequent, 3)]


def test_repeat_contact_window_and_threshold_are_configurable(force, settings):
    person = make_person(force)
    _incidents(force, person, [1, 100])
    assert list(services.people_with_repeated_contact(force.pk, now=NOW)) == []
    settings.HARBOUR = {
        **settings.HARBOUR,
        "REPEAT_CONTACT": {"WINDOW_DAYS": 120, "MIN_INCIDENTS": 2},
    }
    assert list(services.people_with_repeated_contact(force.pk, now=NOW)) == [person]
    assert list(
        services.people_with_repeated_contact(force.pk, window_days=30, min_incidents=1, now=NOW)
    ) == [person]


def test_repeat_contact_counts_detentions_and_sees_only_own_force(force, other_force):
    person = make_person(force)
    _incidents(force, person, [1, 2, 3])
    start_detention(force, person, at=NOW - timedelta(days=2))
    elsewhere = make_person(other_force)
    _incidents(other_force, elsewhere, [1, 2, 3])
    (row,) = services.people_with_repeated_contact(force.pk, now=NOW)
    assert (row, row.incident_count, row.detention_count) == (person, 3, 1)


def test_locations_with_repeated_calls_healthcare_first(force):
    from incidents.services import locations_with_repeated_calls

    for d in [1, 5, 9]:
        make_incident(
            force,
            at=NOW - timedelta(days=d),
            location_description="Bus station",
            location_postcode="CF1 1AA",
            now=NOW,
        )
    for d in [2, 3, 4, 6]:
        make_incident(
            force,
            at=NOW - timedelta(days=d),
            healthcare_setting=True,
            healthcare_setting_name="Ward 4",
            now=NOW,
        )
    make_incident(force, at=NOW - timedelta(days=1), location_description="Park", now=NOW)
    rows = list(locations_with_repeated_calls(force.pk, now=NOW))
    assert [(r["location_key"], r["incidents"], bool(r["healthcare"])) for r in rows] == [
        ("desc:ward 4", 4, True),
        ("pc:CF1 1AA|bus station", 3, False),
    ]


def test_timeline_has_incidents_and_detentions_newest_first(force, django_assert_num_queries):
    person = make_person(force)
    first = make_incident(force, at=T0, people=[person])
    second = make_incident(force, at=T0 + timedelta(days=2), people=[person])
    detention = start_detention(force, person, at=T0 + timedelta(days=1))
    with django_assert_num_queries(3):
        entries = services.person_timeline(person)
    assert [e.obj for e in entries] == [second, detention, first]
