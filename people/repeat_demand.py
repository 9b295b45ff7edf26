"""Repeat demand, defined once: a person (or a location) is repeat demand when at least
`min_incidents` incidents name them in a period. The live lists (people with repeated contact,
locations with repeated calls: `incidents.services`) look back `window_days` days from now;
the reporting figures (`reporting.queries.repeat_people`, `repeat_locations`) use the report's
period. Both read their thresholds here, from settings HARBOUR["REPEAT_CONTACT"] (people) and
HARBOUR["REPEAT_LOCATION"] (locations); a user may override them on the live lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class RepeatDemand:
    window_days: int
    min_incidents: int

    def overridden(self, window_days=None, min_incidents=None) -> RepeatDemand:
        """These thresholds with any given (non-empty) value in place of the default."""
        return RepeatDemand(
            int(window_days or self.window_days), int(min_incidents or self.min_incidents)
        )

    def since(self, now):
        """The start of the live lists' window ending `now`."""
        return now - timedelta(days=self.window_days)


def _configured(key: str) -> RepeatDemand:
    conf = settings.HARBOUR.get(key, {})
    return RepeatDemand(int(conf.get("WINDOW_DAYS", 90)), int(conf.get("MIN_INCIDENTS", 3)))


def of_people() -> RepeatDemand:
    return _configured("REPEAT_CONTACT")


def of_locations() -> RepeatDemand:
    return _configured("REPEAT_LOCATION")
