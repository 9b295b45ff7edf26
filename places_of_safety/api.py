from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from accounts.api import caller_organisation_id
from accounts.authentication import ApiKeyPrincipal
from accounts.permissions import Perm, has_perm

from . import services
from .filters import PlaceOfSafetyFilter
from .models import PlaceOfSafety
from .policy import may_set_status, may_write_place
from .serializers import PlaceOfSafetySerializer


def _as_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    """A model/service validation error as DRF's, keeping its code (e.g. `status_reason_required`)."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("status" if field == "declared_status" else field): [
                serializers.ErrorDetail(e.messages[0], code=e.code or "invalid") for e in errors
            ]
            for field, errors in exc.error_dict.items()
        }
    else:
        detail = [serializers.ErrorDetail(m, code=exc.code or "invalid") for m in exc.messages]
    return serializers.ValidationError(detail)


class PlaceOfSafetyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Places of safety: every caller with `places:read` sees all; operators change their own.

    `status` reads as the effective status (`full` whenever occupancy >= capacity) and filters on
    it (`?status=open`); `occupancy` is read-only."""

    serializer_class = PlaceOfSafetySerializer
    scope = "places"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PlaceOfSafetyFilter

    def get_queryset(self):
        return (
            PlaceOfSafety.objects.with_occupancy()
            .select_related("organisation", "status_updated_by")
            .order_by("name", "pk")
        )

    def _may_write(self, organisation_id) -> bool:
        return may_write_place(self.request.user, organisation_id)

    def perform_create(self, serializer):
        user = self.request.user
        if not isinstance(user, ApiKeyPrincipal) and not has_perm(user, Perm.MANAGE_PLACES):
            raise PermissionDenied(_("Your role may not create places of safety."))
        own = caller_organisation_id(self.request)
        org = serializer.validated_data.get("organisation")
        org_id = org.pk if org else own
        if org_id is None or not self._may_write(org_id):
            raise PermissionDenied(
                _("You may only create places of safety your organisation operates.")
            )
        data = {**serializer.validated_data, "organisation_id": org_id}
        data.pop("organisation", None)
        try:
            place = services.create_place(actor_user=self._user(), **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        serializer.instance = self.get_queryset().get(pk=place.pk)

    def perform_update(self, serializer):
        place = serializer.instance
        if not self._may_write(place.organisation_id):
            raise PermissionDenied(_("Only the place's operator may change it."))
        data = dict(serializer.validated_data)
        user = self.request.user
        if set(data) & services.STATUS_FIELDS and not may_set_status(user, place):
            raise PermissionDenied(_("You may not change this place's status."))
        if not isinstance(user, ApiKeyPrincipal) and not has_perm(user, Perm.MANAGE_PLACES):
            # Place staff set their own place's status, nothing else.
            extra = set(data) - services.STATUS_FIELDS
            if extra:
                raise PermissionDenied(_("Your role may change only the status of your place."))
        if "organisation" in data and data["organisation"].pk != place.organisation_id:
            raise PermissionDenied(_("A place's operator cannot be changed through the API."))
        data.pop("organisation", None)
        try:
            services.update_place(place, actor_user=self._user(), **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        serializer.instance = self.get_queryset().get(pk=place.pk)

    def _user(self):
        user = self.request.user
        return None if isinstance(user, ApiKeyPrincipal) else user
