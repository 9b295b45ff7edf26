import django_filters
from django.utils.translation import gettext_lazy as _

from core.api import IntegerFilter

from .models import Referral, ReferralStatus, Service, Urgency


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices)
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    service = django_filters.ChoiceFilter(choices=Service.choices)
    to_organisation = django_filters.CharFilter(
        field_name="to_organisation__slug", help_text=_("Organisation slug.")
    )
    from_organisation = django_filters.CharFilter(
        field_name="from_organisation__slug", help_text=_("Organisation slug.")
    )
    incident = IntegerFilter(field_name="incident_id")
    detention = IntegerFilter(field_name="detention_id")

    class Meta:
        model = Referral
        fields = [
            "status",
            "urgency",
            "service",
            "to_organisation",
            "from_organisation",
            "incident",
            "detention",
        ]
