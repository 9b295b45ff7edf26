"""`/api/v1/incidents/`: a force's incident log (scope `incidents`)."""

from datetime import datetime, time, timedelta

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, viewsets

from accounts.api import caller_organisation_id
from accounts.models import Organisation
from accounts.principal import principal_of
from core.api import IntegerFilter
from incidents import policy, services
from incidents.choices import IncidentCategory, IncidentOutcome, RcrpThreshold
from incidents.models import Incident
from incidents.serializers import IncidentSerializer
from people.api import api_validation_error


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


class IncidentFilter(django_filters.FilterSet):
    occurred_from = django_filters.DateFilter(
        method="filter_from", label=_("On or after this date (UK time), YYYY-MM-DD.")
    )
    occurred_to = django_filters.DateFilter(
        method="filter_to", label=_("On or before this date (UK time), YYYY-MM-DD.")
    )
    npu = django_filters.CharFilter(field_name="npu__code", label=_("NPU code."))
    category = django_filters.ChoiceFilter(choices=IncidentCategory.choices)
    rcrp_threshold = django_filters.ChoiceFilter(choices=RcrpThreshold.choices)
    outcome = django_filters.ChoiceFilter(choices=IncidentOutcome.choices)
    person = IntegerFilter(field_name="people", label=_("Person id."))
    reference = django_filters.CharFilter(
        method="filter_reference",
        label=_(
            "Harbour's reference, the CAD incident number or the records-management reference "
            "(exact, case ignored)."
        ),
    )

    class Meta:
        model = Incident
        fields = []

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=_local_midnight(value + timedelta(days=1)))

    def filter_reference(self, queryset, name, value):
        return queryset.with_reference(value)


INPUT_FIELDS = set(services.EDITABLE_FIELDS)


@extend_schema_view(
    list=extend_schema(summary=_("Your force's incidents, newest first.")),
    create=extend_schema(summary=_("Log an incident.")),
    retrieve=extend_schema(summary=_("One incident.")),
    partial_update=extend_schema(summary=_("Change an incident.")),
)
@extend_validation_errors(
    ["time_order"], field_name="occurred_at", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["time_order"], field_name="reported_at", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["time_order"], field_name="ended_at", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["npu_not_in_force"], field_name="npu", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["rcrp_decision_required"], field_name="rcrp_threshold", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["rcrp_rationale_required"], field_name="rcrp_rationale", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["rcrp_agency_required"], field_name="rcrp_passed_to", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["healthcare_setting_required"],
    field_name="healthcare_setting_name",
    actions=["create", "partial_update"],
)
@extend_validation_errors(
    ["person_not_in_force", "person_merged"],
    field_name="people",
    actions=["create", "partial_update"],
)
# An officer's row the service refuses (services.incidents._check_officer): its errors are
# given on `officers` as a whole.
@extend_validation_errors(
    ["officer_required", "required"], field_name="officers", actions=["create", "partial_update"]
)
class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IncidentSerializer
    scope = "incidents"
    filterset_class = IncidentFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        # The detentions app sits above this one: reach its model through the relation.
        detention = Incident._meta.get_field("detentions").related_model
        return (
            policy.visible_incidents(principal_of(self.request))
            .select_related("npu")
            .prefetch_related(
                "people",
                "officers",
                Prefetch("detentions", queryset=detention.objects.only("id", "incident_id")),
            )
            .order_by("-occurred_at", "-id")
        )

    def get_serializer(self, *args, **kwargs):
        kwargs["organisation_id"] = caller_organisation_id(self.request)
        return super().get_serializer(*args, **kwargs)

    def _split(self, validated):
        data = dict(validated)
        people = data.pop("people", None)
        officers = data.pop("officers", None)
        fields = {k: v for k, v in data.items() if k in INPUT_FIELDS}
        # A client that sends only the contract's fields gives its reasons in `summary`.
        threshold = fields.get("rcrp_threshold")
        if (
            threshold == RcrpThreshold.NONE
            and not fields.get("rcrp_rationale")
            and fields.get("summary")
        ):
            fields["rcrp_rationale"] = fields["summary"]
        return fields, people, officers

    def perform_create(self, serializer):
        fields, people, officers = self._split(serializer.validated_data)
        organisation = Organisation.objects.get(pk=caller_organisation_id(self.request))
        user = self.request.user
        try:
            serializer.instance = services.create_incident(
                organisation=organisation,
                people=people or (),
                officers=officers or (),
                created_by=user if getattr(user, "pk", None) else None,
                **fields,
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc

    def perform_update(self, serializer):
        fields, people, officers = self._split(serializer.validated_data)
        try:
            incident = services.update_incident(
                serializer.instance, people=people, officers=officers, **fields
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        serializer.instance = self.get_queryset().get(pk=incident.pk)
