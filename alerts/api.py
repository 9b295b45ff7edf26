"""`alerts/` (GET, filters `detention`, `kind`, `open`) and `alerts/{id}/acknowledge/` (POST).

Scope `alerts:read` / `alerts:write`. A force sees alerts about its detentions, a place's operator
those about detentions at its places, a partner those about referrals sent to or by it; any other
alert is 404."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.principal import principal_of
from core.api import IntegerFilter

from . import policy, services
from .models import Alert, AlertKind
from .serializers import AlertSerializer


class AlertFilter(django_filters.FilterSet):
    detention = IntegerFilter(field_name="detention_id")
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices)
    # i18n-ignore: the query parameter's name
    open = django_filters.BooleanFilter(method="filter_open", label="open")

    class Meta:
        model = Alert
        fields = ["detention", "kind", "open"]

    def filter_open(self, queryset, name, value):
        is_open = {"closed_at__isnull": True, "acknowledged_at__isnull": True}
        if value is None:
            return queryset
        return queryset.filter(**is_open) if value else queryset.exclude(**is_open)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    scope = "alerts"
    queryset = Alert.objects.none()

    def get_queryset(self):
        return policy.visible_alerts(principal_of(self.request)).order_by("-due_at", "-id")

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """Records who (the user or API key) acknowledged the alert and when. Idempotent."""
        alert = services.acknowledge(self.get_object())
        return Response(self.get_serializer(alert).data)
