"""`DetentionQuerySet.visible_to_organisation`: the force, place operators, and the local
authority whose AMHP service covers the place or took the case; nobody else."""

import datetime as dt

import pytest

from assessments.models import AmhpServiceArea, AssessmentDetail
from detentions import services as detention_services
from detentions.models import Detention

pytestmark = pytest.mark.django_db


def visible(org):
    return set(Detention.objects.visible_to_organisation(org.pk).values_list("pk", flat=True))


def test_three_personas_and_the_local_authorities(
    make_detention,
    suite,
    other_suite,
    area,
    force,
    other_force,
    health_trust,
    acute_trust,
    local_authority,
    other_local_authority,
):
    at_suite = make_detention(suite)
    in_transit = make_detention()
    transferred = make_detention(other_suite)
    detention_services.record_transfer(
        transferred,
        to_place_of_safety=suite,
        departed_at=transferred.clock_started_at + dt.timedelta(minutes=5),
    )
    everything = {at_suite.pk, in_transit.pk, transferred.pk}
    assert visible(force) == everything  # the owner
    assert visible(health_trust) == {at_suite.pk, transferred.pk}  # operates the suite
    assert visible(acute_trust) == {transferred.pk}  # was first at its department
    assert visible(local_authority) == {at_suite.pk, transferred.pk}  # its area covers the suite
    assert visible(other_force) == set()  # outsider
    assert visible(other_local_authority) == set()  # another local authority

    AssessmentDetail.objects.create(detention=in_transit, amhp_organisation=other_local_authority)
    assert visible(other_local_authority) == {in_transit.pk}


def test_an_inactive_area_gives_no_visibility(make_detention, suite, area, local_authority):
    make_detention(suite)
    AmhpServiceArea.objects.filter(pk=area.pk).update(active=False)
    assert visible(local_authority) == set()


def test_one_row_per_detention_without_distinct(make_detention, suite, area, force):
    d = make_detention(suite)
    second = AmhpServiceArea.objects.create(organisation=area.organisation, name="Overlap")
    second.places.add(suite)
    qs = Detention.objects.visible_to_organisation(area.organisation_id)
    assert list(qs.values_list("pk", flat=True)) == [d.pk]
    assert "DISTINCT" not in str(qs.query)
    assert qs.count() == 1
