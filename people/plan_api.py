"""`/api/v1/response-plans/` (read, write a draft, add contacts and markers, submit, approve,
reject, withdraw) and `/api/v1/warning-markers/` (the current markers of plans in force).

Keys need `plans:read` / `plans:write`; users the plan permissions. Approval needs a person
signed in (a key gets 403). Who sees what is `people.policy.visible_plans`, as on the pages and
in history: a partner not addressed gets 404."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Organisation
from accounts.principal import principal_of
from core.api import IntegerFilter

from . import plans, policy
from .api import api_validation_error
from .models import ResponsePlan, WarningMarker
from .plan_serializers import (
    PersonMarkerSerializer,
    PlanContactSerializer,
    ReasonSerializer,
    ResponsePlanCreateSerializer,
    ResponsePlanSerializer,
    WarningMarkerSerializer,
)

POLICY_ACTIONS = {
    "list": "view",
    "retrieve": "view",
    "create": "write",
    "contacts": "write",
    "markers": "write",
    "submit": "write",
    "approve": "approve",
    "reject": "approve",
    "withdraw": "withdraw",
}


class PlanFilter(django_filters.FilterSet):
    person = IntegerFilter(field_name="person_id", label=_("Person id."))
    status = django_filters.ChoiceFilter(
        choices=ResponsePlan._meta.get_field("status").choices, label=_("Status.")
    )

    class Meta:
        model = ResponsePlan
        fields = []


def _action_schema(request, summary, status_code=200):
    return extend_schema(
        request=request, responses={status_code: ResponsePlanSerializer}, summary=summary
    )


@extend_schema_view(
    list=extend_schema(summary=_("Response plans your organisation may see.")),
    retrieve=extend_schema(summary=_("One response plan, with its contacts and markers.")),
    create=extend_schema(
        summary=_("Write a draft response plan."),
        request=ResponsePlanCreateSerializer,
        responses={201: ResponsePlanSerializer},
    ),
)
@extend_validation_errors(["person_merged"], field_name="person", actions=["create"])
@extend_validation_errors(["invalid_addressee"], field_name="addressed_to", actions=["create"])
@extend_validation_errors(["invalid_phone"], field_name="phone", actions=["contacts"])
@extend_validation_errors(
    ["review_date_in_past", "review_date_too_far"], field_name="review_on", actions=["markers"]
)
@extend_validation_errors(
    [
        "plan_not_editable",
        "plan_not_draft",
        "plan_empty",
        "review_date_in_past",
        "plan_not_pending",
        "approver_is_author",
        "plan_withdrawn",
    ],
    field_name="non_field_errors",
    actions=["contacts", "markers", "submit", "approve", "reject", "withdraw"],
)
class ResponsePlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ResponsePlanSerializer
    scope = "plans"
    filterset_class = PlanFilter
    queryset = ResponsePlan.objects.none()  # for the schema; get_queryset decides per caller
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        actor = principal_of(self.request)
        return plans.with_parts(policy.visible_plans(actor)).order_by("-created_at", "-id")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The role or scope first (403), whatever the plan.
        name = POLICY_ACTIONS.get(self.action)
        if name is not None:
            if name == "write" and self.action == "create":
                decision = policy.may_write_plan_for(principal_of(request))
            else:
                decision = policy.may_plan(principal_of(request), name)
            if not decision:
                raise PermissionDenied(decision.reason or None)

    def _plan(self, action_name):
        plan = self.get_object()  # visible, or 404
        policy.may_plan(principal_of(self.request), action_name, plan).enforce()
        return plan

    def _respond(self, plan, status_code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=plan.pk)
        return Response(ResponsePlanSerializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        actor = principal_of(request)
        data = ResponsePlanCreateSerializer(
            data=request.data, people=policy.people_for_plans(actor)
        )
        data.is_valid(raise_exception=True)
        cd = data.validated_data
        try:
            plan = plans.create_plan(
                person=cd["person"],
                author_organisation=Organisation.objects.get(pk=actor.organisation_id),
                addressed_to=cd.get("addressed_to", []),
                written_by=actor.user,
                **{k: cd.get(k, "") for k in plans.PLAN_TEXT_FIELDS},
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return self._respond(plan, status.HTTP_201_CREATED)

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc

    @extend_schema(
        request=PlanContactSerializer,
        responses={201: ResponsePlanSerializer},
        summary=_("Add a contact to a draft."),
    )
    @action(detail=True, methods=["post"])
    def contacts(self, request, pk=None):
        plan = self._plan("write")
        data = PlanContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self._call(plans.add_contact, plan, **data.validated_data)
        return self._respond(plan, status.HTTP_201_CREATED)

    @extend_schema(
        request=WarningMarkerSerializer,
        responses={201: ResponsePlanSerializer},
        summary=_("Add a warning marker to a draft."),
    )
    @action(detail=True, methods=["post"])
    def markers(self, request, pk=None):
        plan = self._plan("write")
        data = WarningMarkerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self._call(plans.add_marker, plan, **data.validated_data)
        return self._respond(plan, status.HTTP_201_CREATED)

    @_action_schema(None, _("Submit a draft for approval by a second person."))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self._plan("write")
        actor = principal_of(request)
        self._call(plans.submit_plan, plan, submitted_by=actor.user)
        return self._respond(plan)

    @_action_schema(None, _("Approve a plan (a second person, signed in; not its writer)."))
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self._plan("approve")
        actor = principal_of(request)
        self._call(
            plans.approve_plan,
            plan,
            approved_by=actor.user,
            organisation=Organisation.objects.get(pk=actor.organisation_id),
        )
        return self._respond(plan)

    @_action_schema(ReasonSerializer, _("Reject a plan, saying why."))
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        plan = self._plan("approve")
        actor = principal_of(request)
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self._call(
            plans.reject_plan,
            plan,
            rejected_by=actor.user,
            organisation=Organisation.objects.get(pk=actor.organisation_id),
            reason=data.validated_data["reason"],
        )
        return self._respond(plan)

    @_action_schema(ReasonSerializer, _("Withdraw a plan, saying why."))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        plan = self._plan("withdraw")
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self._call(plans.withdraw_plan, plan, reason=data.validated_data["reason"])
        return self._respond(plan)


class MarkerFilter(django_filters.FilterSet):
    person = IntegerFilter(method="filter_person", label=_("Person id."))
    include_past_review = django_filters.BooleanFilter(
        method="filter_past",
        label=_("true: also markers past their review date (no longer shown to officers)."),
    )

    class Meta:
        model = WarningMarker
        fields = []

    def filter_person(self, queryset, name, value):
        return queryset.filter(plan__person_id=value)

    def filter_past(self, queryset, name, value):
        return queryset  # applied in get_queryset (the default leaves them out)


@extend_schema_view(
    list=extend_schema(
        summary=_(
            "Warning markers of approved plans shared with your organisation (current ones "
            "unless include_past_review=true)."
        )
    )
)
class WarningMarkerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonMarkerSerializer
    scope = "plans"
    filterset_class = MarkerFilter
    queryset = WarningMarker.objects.none()

    def get_queryset(self):
        actor = principal_of(self.request)
        qs = WarningMarker.objects.filter(
            plan__in=policy.in_force_plans(actor).values("pk")
        ).select_related("plan__author_organisation")
        if self.request.query_params.get("include_past_review") != "true":
            qs = qs.filter(plans.current_markers_q(timezone.localdate()))
        return qs.order_by("plan__person_id", "kind", "pk")
