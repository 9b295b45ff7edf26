"""Demo: Midshire County Council's AMHP service covers the demo places of safety and NPUs."""

from accounts.models import NPU, Organisation
from places_of_safety.models import PlaceOfSafety

from .models import AmhpServiceArea

COUNCIL = "midshire-council"
FORCE = "midshire-police"
AREA_NAME = "Midshire (all places of safety)"


def seed(stdout):
    council = Organisation.objects.filter(slug=COUNCIL).first()
    if council is None:
        return
    area, created = AmhpServiceArea.objects.get_or_create(organisation=council, name=AREA_NAME)
    places = PlaceOfSafety.objects.filter(active=True)
    area.places.add(*places)
    area.npus.add(*NPU.objects.filter(force__slug=FORCE))
    stdout.write(
        f"AMHP service area {'created' if created else 'up to date'}: {council} covers "
        f"{places.count()} places of safety."
    )
