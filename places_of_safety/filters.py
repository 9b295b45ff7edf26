import django_filters
from django.utils.translation import gettext_lazy as _

from .models import PlaceKind, PlaceOfSafety, PlaceStatus


class PlaceOfSafetyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlaceKind.choices)
    accepts_under_18 = django_filters.BooleanFilter()
    active = django_filters.BooleanFilter()
    status = django_filters.ChoiceFilter(
        field_name="effective_status",
        choices=PlaceStatus.choices,
        label=_("Effective status (`full` whenever occupancy >= capacity)"),
    )
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", label=_("Operator organisation's slug")
    )

    class Meta:
        model = PlaceOfSafety
        fields = ["kind", "accepts_under_18", "active", "status", "organisation"]
