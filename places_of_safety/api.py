from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from accounts.api import caller_organisation_id
from accounts.authentication import ApiKeyPrincipal
from accounts.permissions import Perm, has_perm

from . import services
from .models import PlaceOfSafety
from .serializers import PlaceOfSafetySerializer


class PlaceOfSafetyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Places of safety: every caller with `places:read` sees all; operators change their own."""

    serializer_class = PlaceOfSafetySerializer
    scope = "places"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["kind", "accepts_under_18", "active"]

    def get_queryset(self):
        return (
            PlaceOfSafety.objects.with_occupancy().select_related("organisation").order_by("name")
        )

    def _may_write(self, organisation_id) -> bool:
        user = self.request.user
        own = caller_organisation_id(self.request)
        if isinstance(user, ApiKeyPrincipal):
            return organisation_id == own
        if has_perm(user, Perm.MANAGE_PLACES) and user.is_staff:
            return True
        return organisation_id == own and (
            has_perm(user, Perm.MANAGE_PLACES) or has_perm(user, Perm.SET_PLACE_STATUS)
        )

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
        serializer.instance = services.create_place(actor_user=self._user(), **data)

    def perform_update(self, serializer):
        place = serializer.instance
        if not self._may_write(place.organisation_id):
            raise PermissionDenied(_("Only the place's operator may change it."))
        data = dict(serializer.validated_data)
        user = self.request.user
        if not isinstance(user, ApiKeyPrincipal) and not has_perm(user, Perm.MANAGE_PLACES):
            # Place staff set their own place's status, nothing else.
            extra = set(data) - {"declared_status", "status_reason"}
            if extra:
                raise PermissionDenied(_("Your role may change only the status of your place."))
        if "organisation" in data and data["organisation"].pk != place.organisation_id:
            raise PermissionDenied(_("A place's operator cannot be changed through the API."))
        data.pop("organisation", None)
        serializer.instance = services.update_place(place, actor_user=self._user(), **data)

    def _user(self):
        user = self.request.user
        return None if isinstance(user, ApiKeyPrincipal) else user
