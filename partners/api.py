"""`referrals/` and `referrals/{id}/status/` (api-contract.md). Scope `referrals:read|write`."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from accounts.api import caller_organisation_id
from accounts.api_permissions import ScopedPermission
from accounts.authentication import ApiKeyPrincipal
from accounts.models import Organisation
from accounts.permissions import Perm, has_perm
from accounts.principal import principal_of
from core.openapi import extend_error_codes

from . import policy, services
from .filters import ReferralFilter
from .models import Referral, ReferralStatusChange
from .serializers import ReferralSerializer, ReferralStatusInputSerializer


class ReferralConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The referral's status does not allow this change.")
    default_code = "invalid_transition"


def api_error(exc: services.ReferralRefused) -> exceptions.APIException:
    if exc.conflict:
        first = exc.problems[0]
        return ReferralConflict(detail=ErrorDetail(first.message, code=first.code))
    detail: dict = {}
    for p in exc.problems:
        detail.setdefault(p.attr or "non_field_errors", []).append(
            ErrorDetail(p.message, code=p.code)
        )
    return exceptions.ValidationError(detail)


class StatusChangePermission(ScopedPermission):
    """`status/`: keys need `referrals:write`; users may respond (partner) or send (sender)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if isinstance(user, ApiKeyPrincipal):
            return user.has_scope("referrals:write")
        return has_perm(user, Perm.RESPOND_REFERRALS) or has_perm(user, Perm.SEND_REFERRALS)


def referral_queryset():
    return Referral.objects.select_related(
        "person", "from_organisation", "to_organisation"
    ).prefetch_related(
        Prefetch("status_changes", queryset=ReferralStatusChange.objects.order_by("at", "id"))
    )


@extend_validation_errors(
    ["person_not_in_record", "required"], field_name="person", actions=["create"]
)
@extend_validation_errors(
    ["incident_or_detention_required", "does_not_exist"], field_name="incident", actions=["create"]
)
@extend_validation_errors(
    ["detention_incident_mismatch", "does_not_exist"], field_name="detention", actions=["create"]
)
@extend_validation_errors(["invalid_recipient"], field_name="to_organisation", actions=["create"])
@extend_validation_errors(["lawful_basis_required"], field_name="lawful_basis", actions=["create"])
@extend_validation_errors(["required"], field_name="reason", actions=["create"])
@extend_validation_errors(["note_required"], field_name="note", actions=["set_status"])
@extend_error_codes(409, ["invalid_transition"], actions=["set_status"])
class ReferralViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals sent to or by the caller's organisation."""

    serializer_class = ReferralSerializer
    scope = "referrals"
    filterset_class = ReferralFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self):
        if self.action == "set_status":
            return [StatusChangePermission()]
        return super().get_permissions()

    def get_queryset(self):
        visible = policy.visible_referrals(principal_of(self.request))
        return (
            referral_queryset().filter(pk__in=visible.values("pk")).order_by("-created_at", "-id")
        )

    def _organisation(self) -> Organisation:
        org_id = caller_organisation_id(self.request)
        if org_id is None:
            raise exceptions.PermissionDenied(_("You do not belong to an organisation."))
        return Organisation.objects.get(pk=org_id)

    def _user(self):
        user = self.request.user
        return None if isinstance(user, ApiKeyPrincipal) else user

    def create(self, request, *args, **kwargs):
        user = request.user
        if not isinstance(user, ApiKeyPrincipal) and not has_perm(user, Perm.SEND_REFERRALS):
            raise exceptions.PermissionDenied(_("Your role may not send referrals."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            referral = services.send_referral(
                from_organisation=self._organisation(),
                to_organisation=data["to_organisation"],
                service=data["service"],
                person=data.get("person"),
                incident=data.get("incident"),
                detention=data.get("detention"),
                reason=data["reason"],
                urgency=data["urgency"],
                consent=data["consent"],
                lawful_basis=data.get("lawful_basis", ""),
                contact_details=data.get("contact_details", ""),
                created_by=self._user(),
            )
        except services.ReferralRefused as exc:
            raise api_error(exc) from exc
        referral = referral_queryset().get(pk=referral.pk)
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReferralStatusInputSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Acknowledge, accept, decline or close a referral, with a note.

        The receiving organisation moves `sent -> acknowledged -> accepted | declined -> closed`
        (accepting or declining straight from `sent` is allowed); the sender may only close
        (withdraw) it, with a note. A declined referral needs a note. Anything else: 409
        `invalid_transition`.
        """
        referral = self.get_object()
        serializer = ReferralStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.change_status(
                referral,
                to_status=serializer.validated_data["status"],
                note=serializer.validated_data.get("note", ""),
                organisation=self._organisation(),
                user=self._user(),
            )
        except services.ReferralRefused as exc:
            raise api_error(exc) from exc
        except services.ReferralNotAllowed as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        referral = referral_queryset().get(pk=referral.pk)
        return Response(self.get_serializer(referral).data)
