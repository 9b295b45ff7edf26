"""GOV.UK Notify's delivery-receipt callbacks: `POST /api/v1/notify/delivery-receipts/`.

Notify calls this URL (set in the Notify service's "Callbacks for delivery receipts") once a
message reaches its final status, with `Authorization: Bearer <token>`: the token set there and
in `NOTIFY_CALLBACK_BEARER_TOKEN`. No other credential opens it (a session or an API key is
401), and with no token configured every callback is refused. The delivery is found by Notify's
notification id (`id`) or by our `reference` (the delivery's id) and its status recorded:
`delivered`, `permanent-failure`, `temporary-failure` or `technical-failure`
(alerts.services.record_notify_status, with history naming the callback).
"""

import hmac

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actor import SYSTEM, Actor, acting_as

from . import notify, services

NOTIFY_CALLBACK = "gov.uk-notify-callback"  # request.auth of an authenticated callback
# i18n-ignore: an actor's label in the history and logs, not words a person reads
CALLBACK_ACTOR = Actor(kind=SYSTEM, label="system:notify-callback", triggered_by="GOV.UK Notify")


class NotifyCallbackAuthentication(BaseAuthentication):
    """`Authorization: Bearer <NOTIFY_CALLBACK_BEARER_TOKEN>`, compared in constant time."""

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        expected = notify.config().get("CALLBACK_BEARER_TOKEN", "")
        if not expected:
            raise exceptions.AuthenticationFailed(
                _("GOV.UK Notify callbacks are not set up here (NOTIFY_CALLBACK_BEARER_TOKEN).")
            )
        if not hmac.compare_digest(token.strip().encode(), expected.encode()):
            raise exceptions.AuthenticationFailed(_("The bearer token is not the one set up."))
        return AnonymousUser(), NOTIFY_CALLBACK

    def authenticate_header(self, request):
        return 'Bearer realm="GOV.UK Notify callbacks"'


class NotifyCallbackScheme(OpenApiAuthenticationExtension):
    target_class = "alerts.notify_api.NotifyCallbackAuthentication"
    name = "NotifyCallbackBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The bearer token set in GOV.UK Notify's callbacks "
            "(`NOTIFY_CALLBACK_BEARER_TOKEN`).",
        }


class IsNotifyCallback(BasePermission):
    def has_permission(self, request, view):
        if request.auth != NOTIFY_CALLBACK:
            raise exceptions.NotAuthenticated(
                _("Only GOV.UK Notify's callbacks, with their bearer token.")
            )
        return True


class DeliveryReceiptSerializer(serializers.Serializer):
    """GOV.UK Notify's delivery receipt (other fields it sends are ignored)."""

    id = serializers.UUIDField(help_text=gettext_lazy("Notify's notification id."))
    reference = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=gettext_lazy("Harbour's delivery id."),
    )
    to = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=list(notify.CALLBACK_STATUSES))
    created_at = serializers.DateTimeField(required=False, allow_null=True)
    completed_at = serializers.DateTimeField(required=False, allow_null=True)
    sent_at = serializers.DateTimeField(required=False, allow_null=True)
    notification_type = serializers.CharField(required=False, allow_blank=True)


class DeliveryStatusSerializer(serializers.Serializer):
    delivery = serializers.IntegerField(help_text=gettext_lazy("Harbour's delivery id."))
    status = serializers.CharField()


class DeliveryReceiptView(APIView):
    authentication_classes = [NotifyCallbackAuthentication]
    permission_classes = [IsNotifyCallback]

    @extend_schema(
        operation_id="notify_delivery_receipts_create",
        request=DeliveryReceiptSerializer,
        responses={200: DeliveryStatusSerializer},
        tags=["notify"],
    )
    def post(self, request):
        """GOV.UK Notify's delivery receipt: records the final status of an alert message."""
        receipt = DeliveryReceiptSerializer(data=request.data)
        receipt.is_valid(raise_exception=True)
        data = receipt.validated_data
        with acting_as(CALLBACK_ACTOR):
            try:
                delivery = services.record_notify_status(
                    notify_id=str(data["id"]),
                    reference=data.get("reference") or "",
                    status=data["status"],
                    reported_at=data.get("completed_at"),
                )
            except services.UnknownNotification as exc:
                raise exceptions.NotFound(_("No alert message has this notification id.")) from exc
        return Response({"delivery": delivery.pk, "status": delivery.status})
