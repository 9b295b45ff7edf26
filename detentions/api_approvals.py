"""`/api/v1/approvals/`: approvals in the approver's own account (PS3, E5).

- `GET approvals/` (filters `detention`, `kind`, `state`) and `GET approvals/{id}/`: the
  approvals of the detentions the caller sees (another force's: 404), `detentions:read`.
- `POST approvals/`: the sergeant (or a custody system's key, `detentions:write`) asks for an
  approval (`{"detention", "kind", "note", "place_of_safety"}`), or records one given on the
  approver's word (`"on_word": true` with `approver_name`, `approver_rank`, `decided_at`).
- `POST approvals/{id}/approve/` (`rank`, `decided_at`, both optional: the account's rank, now)
  and `POST approvals/{id}/refuse/` (`reason`): the approver, from their own account (a signed-in
  user with the role; an API key is refused, 403: an approval is a person's).

Who may do what is `detentions.policy` (`request_approval`, `approve_police_station`,
`approve_extension`); every change goes through `detentions.approvals`; refusals answer in the
contract's error body (`core.api_errors`), an ended detention with 409 `detention_ended`.
"""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.principal import principal_of
from core.api import IntegerFilter
from core.api_errors import RuleErrorsMixin, rule_errors
from core.openapi import extend_error_codes
from core.serializers import HarbourModelSerializer, InstantField, StrictCharField
from detentions import approvals, policy
from detentions.choices import Rank
from detentions.models import Approval, Detention
from law.constants import Code
from places_of_safety.models import PlaceOfSafety

# --- Serializers ---------------------------------------------------------------------------------


class ApprovalSerializer(HarbourModelSerializer):
    detention = serializers.PrimaryKeyRelatedField(read_only=True)
    place_of_safety = serializers.PrimaryKeyRelatedField(
        source="place", read_only=True, allow_null=True
    )
    how_given = serializers.CharField(
        read_only=True,
        help_text=_(
            "How the approval was given: from the approver's own account, or recorded by the "
            "sergeant on the approver's word (empty while it waits)."
        ),
    )

    class Meta:
        model = Approval
        fields = [
            "id",
            "detention",
            "kind",
            "state",
            "place_of_safety",
            "note",
            "requested_by_name",
            "requested_at",
            "approver_name",
            "approver_rank",
            "decided_at",
            "refusal_reason",
            "on_word",
            "how_given",
            "used_for",
        ]
        read_only_fields = fields


class ApprovalRequestSerializer(serializers.Serializer):
    detention = serializers.PrimaryKeyRelatedField(queryset=Detention.objects.none())
    kind = serializers.ChoiceField(choices=Approval.Kind.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")
    place_of_safety = serializers.PrimaryKeyRelatedField(
        queryset=PlaceOfSafety.objects.filter(active=True), required=False, allow_null=True
    )
    on_word = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "The approver has no account or cannot be reached: record the approval they gave "
            "(with `approver_name`, `approver_rank`, `decided_at`). Marked so in the record."
        ),
    )
    approver_name = StrictCharField(required=False, allow_blank=True, max_length=200, default="")
    approver_rank = serializers.ChoiceField(
        choices=Rank.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    decided_at = InstantField(required=False, allow_null=True, default=None)

    def __init__(self, *args, visible=None, **kwargs):
        super().__init__(*args, **kwargs)
        if visible is not None:
            self.fields["detention"].queryset = visible


class ApproveSerializer(serializers.Serializer):
    rank = serializers.ChoiceField(
        choices=Rank.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The approver's rank (default: their account's)."),
    )
    decided_at = InstantField(required=False, allow_null=True, default=None)


class RefuseSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000, allow_blank=True)


# --- Permissions and filters ---------------------------------------------------------------------


class ApprovalPermission(BasePermission):
    """The role or scope part of the policy, before the approval is looked up."""

    def has_permission(self, request, view):
        actor = principal_of(request)
        if not actor.is_authenticated:
            return False
        name = getattr(view, "action", None) or ""
        if name in ("approve", "refuse"):
            if not policy.decidable_kinds(actor):
                self.message = _("Only an inspector or superintendent may decide approvals.")
                return False
            if not actor.is_user:
                self.message = _("An approval is given by a person, from their own account.")
                return False
            return True
        decision = policy.permitted(actor, "request_approval" if name == "create" else "view")
        if not decision and decision.reason:
            self.message = decision.reason
        return bool(decision)


class ApprovalFilter(django_filters.FilterSet):
    detention = IntegerFilter(field_name="detention_id")
    kind = django_filters.ChoiceFilter(choices=Approval.Kind.choices)
    state = django_filters.ChoiceFilter(choices=Approval.State.choices)

    class Meta:
        model = Approval
        fields = ["detention", "kind", "state"]


# --- The viewset ---------------------------------------------------------------------------------

RANK_CODES = [
    Code.INSPECTOR_AUTHORISATION_REQUIRED.value,
    Code.SUPERINTENDENT_APPROVAL_REQUIRED.value,
]
DECIDER_CODES = [approvals.APPROVAL_DECIDED, approvals.NOT_AN_APPROVER, approvals.SELF_APPROVAL]


def _document(viewset):
    codes = {
        "create": {
            "kind": [
                Code.INVALID_CHOICE.value,
                approvals.APPROVAL_WAITING,
                approvals.APPROVAL_NOT_NEEDED,
                Code.EXTENSION_EXISTS.value,
            ],
            "place_of_safety": [Code.INVALID.value],
            "approver_name": RANK_CODES,
            "approver_rank": RANK_CODES,
            "decided_at": [*RANK_CODES, Code.TIME_ORDER.value],
        },
        "approve": {
            None: DECIDER_CODES,
            "rank": RANK_CODES,
            "decided_at": [Code.TIME_ORDER.value],
        },
        "refuse": {None: DECIDER_CODES, "reason": [Code.REQUIRED.value]},
    }
    for name, fields in codes.items():
        for field, field_codes in fields.items():
            extend_validation_errors(field_codes, field_name=field, actions=[name])(viewset)
    return extend_error_codes(
        409, [Code.DETENTION_ENDED.value], actions=["create", "approve", "refuse"]
    )(viewset)


@extend_schema_view(
    list=extend_schema(summary=_("Approvals on the detentions the caller sees")),
    retrieve=extend_schema(summary=_("One approval")),
    create=extend_schema(
        summary=_("Ask for an approval (PS3, E5), or record one given on the approver's word"),
        request=ApprovalRequestSerializer,
        responses={201: ApprovalSerializer},
    ),
)
@_document
class ApprovalViewSet(
    RuleErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApprovalSerializer
    permission_classes = [ApprovalPermission]
    filterset_class = ApprovalFilter
    queryset = Approval.objects.none()
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return policy.visible_approvals(principal_of(self.request)).order_by("-requested_at", "-id")

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        actor = principal_of(request)
        data = self._input(ApprovalRequestSerializer, visible=policy.visible_detentions(actor))
        detention = data["detention"]
        policy.may(actor, "request_approval", detention, visible=True).enforce()
        with rule_errors(attr_map={"place": "place_of_safety"}):
            if data["on_word"]:
                approval = approvals.record_on_word(
                    detention,
                    kind=data["kind"],
                    approver_name=data["approver_name"],
                    approver_rank=data["approver_rank"],
                    decided_at=data["decided_at"],
                )
            else:
                approval = approvals.request_approval(
                    detention,
                    kind=data["kind"],
                    note=data["note"],
                    place=data.get("place_of_safety"),
                    user=request.user if actor.is_user else None,
                )
        return Response(ApprovalSerializer(approval).data, status=status.HTTP_201_CREATED)

    def _decidable(self, pk) -> Approval:
        actor = principal_of(self.request)
        approval = get_object_or_404(
            policy.visible_approvals(actor).select_related("detention"), pk=pk
        )
        policy.may_decide(actor, approval, visible=True).enforce()
        return approval

    @extend_schema(
        request=ApproveSerializer,
        responses={200: ApprovalSerializer},
        summary=_("Approve, from the approver's own account"),
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        approval = self._decidable(pk)
        data = self._input(ApproveSerializer)
        with rule_errors():
            approval = approvals.approve(
                approval, user=request.user, rank=data["rank"], decided_at=data["decided_at"]
            )
        return Response(ApprovalSerializer(approval).data)

    @extend_schema(
        request=RefuseSerializer,
        responses={200: ApprovalSerializer},
        summary=_("Refuse, from the approver's own account, saying why"),
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        approval = self._decidable(pk)
        data = self._input(RefuseSerializer)
        with rule_errors():
            approval = approvals.refuse(approval, user=request.user, reason=data["reason"])
        return Response(ApprovalSerializer(approval).data)
