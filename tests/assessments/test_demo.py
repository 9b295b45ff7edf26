import io

import pytest

from accounts.roles import OrganisationKind
from accounts.services import ensure_organisation
from assessments.models import AmhpServiceArea
from demo import assessments as demo
from places_of_safety.models import PlaceKind, PlaceOfSafety

pytestmark = pytest.mark.django_db


def test_demo_area_covers_the_places_and_is_idempotent(force, health_trust):
    council, _ = ensure_organisation(
        demo.COUNCIL, "Midshire County Council AMHP Service", OrganisationKind.LOCAL_AUTHORITY
    )
    place = PlaceOfSafety.objects.create(
        name="Suite", kind=PlaceKind.HEALTH_BASED, organisation=health_trust
    )
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    area = AmhpServiceArea.objects.get(organisation=council)
    assert list(area.places.all()) == [place]
    assert set(area.npus.all()) == set(force.npus.all())


def test_demo_gives_past_detentions_details_and_their_delays(force, health_trust, make_detention):
    import datetime as dt

    from assessments.models import AssessmentDelay, AssessmentDetail
    from detentions import services as detention_services

    council, _ = ensure_organisation(
        demo.COUNCIL, "Midshire County Council AMHP Service", OrganisationKind.LOCAL_AUTHORITY
    )
    place = PlaceOfSafety.objects.create(
        name="Suite", kind=PlaceKind.HEALTH_BASED, organisation=health_trust
    )
    now = dt.datetime.now(dt.UTC)
    d = make_detention(place, detained_at=now - dt.timedelta(hours=10))
    start = d.clock_started_at
    detention_services.record_assessment(
        d,
        amhp_requested_at=start,
        amhp_arrived_at=start + dt.timedelta(hours=2),
        completed_at=start + dt.timedelta(hours=3),
    )
    detention_services.end_detention(
        d, ended_at=start + dt.timedelta(hours=5), outcome="detained_s2"
    )
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    detail = AssessmentDetail.objects.get(detention=d)
    assert (detail.amhp_organisation, detail.outcome) == (council, "detained_s2")
    assert sorted(AssessmentDelay.objects.filter(detention=d).values_list("reason", flat=True)) == [
        "no_amhp",
        "no_bed",
    ]
