"""`/api/v1/detentions/{id}/use-of-force/` and `/api/v1/detentions/{id}/searches/`: optional
sub-resources of a detention (GET lists, POST records one). Visibility and permissions are the
detention's (use_of_force/policy.py); refusals use the contract's error format."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from core.api_errors import RuleErrorsMixin
from core.serializers import HarbourModelSerializer, InstantField
from places_of_safety.models import PlaceOfSafety

from . import services
from .models import (
    SEARCH_INPUT,
    USE_OF_FORCE_INPUT,
    ProtectiveSearch,
    Reason,
    Tactic,
    UseOfForce,
    Where,
)
from .policy import UseOfForcePermission, detention_for

# --- Serializers ---------------------------------------------------------------------------------


class UseOfForceSerializer(HarbourModelSerializer):
    class Meta:
        model = UseOfForce
        fields = [
            "id",
            "detention",
            *USE_OF_FORCE_INPUT,
            "review_required",
            "reviewed_at",
            "reviewed_by",
            "review_decision",
            "review_note",
            "entered_late",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ProtectiveSearchSerializer(HarbourModelSerializer):
    class Meta:
        model = ProtectiveSearch
        fields = [
            "id",
            "detention",
            *SEARCH_INPUT,
            "entered_late",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


def _text(max_length=None, **kwargs):
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=max_length, **kwargs
    )


class _WhereInput(serializers.Serializer):
    officer_name = serializers.CharField(max_length=200)
    officer_number = _text(30)
    location = serializers.ChoiceField(choices=Where.choices)
    place_of_safety = serializers.PrimaryKeyRelatedField(
        queryset=PlaceOfSafety.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "For `location: place_of_safety`: the place (where the person was at that time if "
            "omitted)."
        ),
    )


class UseOfForceInputSerializer(_WhereInput):
    tactic = serializers.ChoiceField(choices=Tactic.choices)
    tactic_detail = _text(300, help_text=_("Required for `tactic: other`."))
    used_at = InstantField()
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=Reason.choices), allow_empty=True, max_length=20
    )
    reason_detail = _text(help_text=_("Required when `reasons` includes `other`."))
    person_injured = serializers.BooleanField()
    officer_injured = serializers.BooleanField()
    injury_detail = _text(help_text=_("Required when anyone was injured."))


class SearchInputSerializer(_WhereInput):
    searched_at = InstantField()
    grounds = serializers.CharField(
        help_text=_(
            "Why the officer believed the person may be a danger to themselves or others and "
            "may be concealing an item that could cause physical injury (s136C)."
        )
    )
    items_found = serializers.BooleanField()
    found_description = _text(help_text=_("Required when something was found."))
    kept_description = _text()


# --- Views ---------------------------------------------------------------------------------------

TIME_CODES = ["time_order"]
PLACE_CODES = ["required", "invalid", "does_not_exist", "incorrect_type"]


class _DetentionRecords(RuleErrorsMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A detention's records: visible where the detention is (else 404), written where events
    on it may be written (else 403)."""

    permission_classes = [UseOfForcePermission]
    filterset_class = None
    filter_backends: list = []
    input_class: type[serializers.Serializer]
    record = None  # the service function

    def _detention(self, write=False):
        return detention_for(self.request.user, self.kwargs["pk"], write=write)

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        return model.objects.filter(detention=self._detention()).order_by(*model._meta.ordering)

    def create(self, request, *args, **kwargs):
        detention = self._detention(write=True)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        record = type(self).record(detention, **data.validated_data)
        return Response(self.serializer_class(record).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("Force and restraint used during the detention")),
    create=extend_schema(
        summary=_("Record one tactic used by one officer"),
        description=_(
            "A prone restraint, or a restraint at a health-based place of safety, is listed "
            "for review by the force mental health lead (`review_required`). A record added "
            "after the detention ended is marked `entered_late`; its time must lie within "
            "the detention."
        ),
        request=UseOfForceInputSerializer,
        responses={201: UseOfForceSerializer},
    ),
)
@extend_validation_errors(TIME_CODES, field_name="used_at", methods=["post"])
@extend_validation_errors(PLACE_CODES, field_name="place_of_safety", methods=["post"])
@extend_validation_errors(["required"], field_name="reasons", methods=["post"])
@extend_validation_errors(["required"], field_name="tactic_detail", methods=["post"])
@extend_validation_errors(["required"], field_name="reason_detail", methods=["post"])
@extend_validation_errors(["required"], field_name="injury_detail", methods=["post"])
class UseOfForceViewSet(_DetentionRecords):
    serializer_class = UseOfForceSerializer
    input_class = UseOfForceInputSerializer
    record = staticmethod(services.record_use_of_force)


@extend_schema_view(
    list=extend_schema(summary=_("Protective searches (s136C) during the detention")),
    create=extend_schema(
        summary=_("Record a protective search (s136C)"),
        request=SearchInputSerializer,
        responses={201: ProtectiveSearchSerializer},
    ),
)
@extend_validation_errors(TIME_CODES, field_name="searched_at", methods=["post"])
@extend_validation_errors(PLACE_CODES, field_name="place_of_safety", methods=["post"])
@extend_validation_errors(["required"], field_name="grounds", methods=["post"])
@extend_validation_errors(["required"], field_name="found_description", methods=["post"])
@extend_validation_errors(["invalid"], field_name="items_found", methods=["post"])
class SearchViewSet(_DetentionRecords):
    serializer_class = ProtectiveSearchSerializer
    input_class = SearchInputSerializer
    record = staticmethod(services.record_search)
