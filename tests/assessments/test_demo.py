import io

import pytest

from accounts.roles import OrganisationKind
from accounts.services import ensure_organisation
from assessments import demo
from assessments.models import AmhpServiceArea
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
