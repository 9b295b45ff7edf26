"""How full a place is and who is there: questions about detentions, answered by the detentions
app. Places of safety sit below detentions and import none of their code (docs/architecture.md
"Layers"): the detentions app installs its selectors (incidents/selectors.py) with `install()`
from its AppConfig.ready, and places' querysets, services and pages ask through `selectors()`.

The installed object provides:
- `with_occupancy(places)`: annotates `occupancy` and `effective_status`;
- `for_board(places)`: that plus `in_transit` and `flagged_occupants`;
- `occupants(place)`: the detentions at the place now, with `arrived_here_at` and
  `transfer_arrived_at`, earliest arrival first;
- `incoming(place)`: transfers under way towards the place, with `departed_at` and
  `from_place_name`;
- `flagged_arrivals(place, statuses, limit)`: the latest arrivals at the place while its status
  was one of `statuses`;
- `without_destination()`: how many detentions are in transit with no destination.
"""

from django.core.exceptions import ImproperlyConfigured

_selectors = None


def install(selectors) -> None:
    global _selectors
    _selectors = selectors


def selectors():
    if _selectors is None:
        raise ImproperlyConfigured("No app has installed the occupancy selectors.")
    return _selectors
