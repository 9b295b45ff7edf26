import io

import pytest

from accounts.roles import OrganisationKind
from accounts.services import ensure_organisation
from demo import incidents as demo_incidents
from incidents.models import Incident
from incidents.services import locations_with_repeated_calls
from people.models import Person
from people.services import people_with_repeated_contact, possible_duplicates

pytestmark = pytest.mark.django_db


def test_demo_incidents_are_realistic_and_idempotent(django_assert_max_num_queries):
    force, _ = ensure_organisation(
        "midshire-police",
        "Midshire Police",
        OrganisationKind.POLICE_FORCE,
        [("NPU-N", "Northbridge"), ("NPU-C", "Castleford"), ("NPU-S", "S"), ("NPU-E", "E")],
    )
    demo_incidents.seed(io.StringIO())
    count = Incident.objects.count()
    assert count == 140
    assert Incident.objects.filter(rcrp_threshold="none").exclude(rcrp_passed_to="").exists()
    assert Incident.objects.filter(npu__isnull=True).count() == 0
    assert len(list(people_with_repeated_contact(force.pk, window_days=120))) >= 3
    rows = list(locations_with_repeated_calls(force.pk, window_days=120))
    assert rows and rows[0]["healthcare"]
    daniel = Person.objects.get(given_name="Daniel")
    assert [p.given_name for p in possible_duplicates(daniel)] == ["Danny"]
    assert Incident.history.filter(changed_by="command:seed_demo").exists()
    with django_assert_max_num_queries(5):
        demo_incidents.seed(io.StringIO())
    assert Incident.objects.count() == count
