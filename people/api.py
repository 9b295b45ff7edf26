"""`/api/v1/people/`: a force's people. Needs `incidents:*` or `detentions:*` (contract)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers, viewsets

from accounts.api import caller_organisation_id
from accounts.principal import principal_of
from people import policy, services
from people.models import Person
from people.serializers import PersonSerializer
from people.services import PERSON_FIELDS


def api_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's refusal as DRF's 400 (codes kept; drf-standardized-errors formats it)."""
    return serializers.ValidationError(serializers.as_serializer_error(exc))


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Name (partial; case and accents ignored) or a 10-digit NHS number."),
    )
    date_of_birth = django_filters.DateFilter(method="filter_dob", label=_("Date of birth."))
    nhs_number = django_filters.CharFilter(method="filter_nhs", label=_("NHS number."))

    class Meta:
        model = Person
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_dob(self, queryset, name, value):
        return queryset.search(date_of_birth=value)

    def filter_nhs(self, queryset, name, value):
        return queryset.search(nhs_number=value)


@extend_schema_view(
    list=extend_schema(summary=_("Your force's people (merged records are left out).")),
    create=extend_schema(summary=_("Record a person.")),
    retrieve=extend_schema(summary=_("One person (a merged record shows `merged_into`).")),
    partial_update=extend_schema(summary=_("Change a person's details.")),
)
@extend_validation_errors(
    ["invalid_nhs_number"], field_name="nhs_number", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["time_order", "date_of_birth_too_early"],
    field_name="date_of_birth",
    actions=["create", "partial_update"],
)
@extend_validation_errors(
    ["trust_required", "not_a_trust"], field_name="nhs_trust", actions=["create", "partial_update"]
)
@extend_validation_errors(
    ["required"], field_name="nhs_trust_record_id", actions=["create", "partial_update"]
)
# A merged record cannot be changed (services.people.update_person).
@extend_validation_errors(
    ["person_merged"], field_name="non_field_errors", actions=["partial_update"]
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer
    scopes_any = ("incidents", "detentions")
    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = policy.visible_people(principal_of(self.request))
        if self.action == "list":
            qs = qs.current()
        return qs.order_by("family_name", "given_name", "id")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in PERSON_FIELDS}
        organisation = self._organisation()
        try:
            serializer.instance = services.create_person(organisation=organisation, **data)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in PERSON_FIELDS}
        try:
            serializer.instance = services.update_person(serializer.instance, **data)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc

    def _organisation(self):
        from accounts.models import Organisation

        return Organisation.objects.get(pk=caller_organisation_id(self.request))
