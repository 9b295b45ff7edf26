from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_start(user) -> bool:
    from accounts.principal import resolve

    from .policy import may_start

    return bool(may_start(resolve(user)))


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents, people and detentions")

    def ready(self):
        from accounts.permissions import Perm
        from core.api_errors import use_recordable_codes
        from core.navigation import register
        from places_of_safety import occupancy

        from . import (
            policy,  # noqa: F401 - registers who may see people, incidents, detentions
            selectors,
        )
        from .law import RECORDABLE_CODES

        use_recordable_codes(RECORDABLE_CODES)
        occupancy.install(selectors)  # how full a place is: a question about detentions

        # Detention pages (incidents/detention_urls.py).
        register(
            "detention-board",
            _("Active detentions"),
            _("Every active s136 and s135 detention, sorted by time left, with checks due."),
            Perm.VIEW_DETENTIONS,
            order=20,
        )
        register(
            "detention-start",
            _("Start a detention"),
            _("Record a section 136 or 135(1) detention from the street."),
            # Police only: health staff may record detention events but not use the power.
            _may_start,
            in_menu=False,
            order=21,
        )
        register(
            "unlawful-acts",
            _("Unlawful acts to review"),
            _("Acts that broke a rule but happened, recorded with an account (R1): review each."),
            Perm.REVIEW_UNLAWFUL_ACTS,
            in_menu=False,
            order=22,
        )
        # Incident and people pages (incidents/incident_urls.py).
        register(
            "incident-list",
            _("Incidents"),
            _(
                "Mental-health-related incidents: log one, filter by date, NPU, category and outcome."
            ),
            Perm.VIEW_INCIDENTS,
            order=10,
        )
        register(
            "incident-new",
            _("Log an incident"),
            _("Record a mental-health-related incident and the Right Care Right Person decision."),
            Perm.RECORD_INCIDENTS,
            in_menu=False,
            order=11,
        )
        register(
            "people-search",
            _("People"),
            _("Find a person by name, date of birth or NHS number, and see their timeline."),
            Perm.VIEW_PEOPLE,
            order=12,
        )
        register(
            "people-repeated-contact",
            _("People with repeated contact"),
            _("For multi-agency care planning: people with several incidents in a short time."),
            Perm.VIEW_PEOPLE,
            in_menu=False,
            order=13,
        )
        register(
            "incident-repeat-locations",
            _("Locations with repeated calls"),
            _("For multi-agency review: places, healthcare settings first, with repeated calls."),
            Perm.VIEW_INCIDENTS,
            in_menu=False,
            order=14,
        )
