"""`POST /api/v1/webhooks/{id}/test/`: send a test event to one of your organisation's webhook
subscriptions (the page's "Send a test event" button). Keys need `webhooks:write`; users need
Perm.MANAGE_ORGANISATION. Another organisation's subscription is 404."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.principal import principal_of
from core.openapi import extend_error_codes

from . import policy, webhooks


class TestEventRefused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A test event cannot be sent now.")
    default_code = "test_event_too_soon"


TestEventQueued = inline_serializer(
    "WebhookTestEvent",
    {
        "delivery": serializers.IntegerField(help_text=_("The delivery's id.")),
        "event_id": serializers.UUIDField(help_text=_("`webhook-id` of the request.")),
        "status": serializers.CharField(help_text=_("`pending`: it is on its way.")),
    },
)


@extend_error_codes(409, ["test_event_too_soon", "subscription_inactive"])
class WebhookTestView(APIView):
    scope = "webhooks"

    @extend_schema(
        operation_id="webhooks_test",
        summary=_("Send a test event (`webhook.test`) to a subscription; one a minute."),
        request=None,
        responses={202: TestEventQueued},
    )
    def post(self, request, pk):
        sub = get_object_or_404(policy.visible_webhooks(principal_of(request)), pk=pk)
        try:
            delivery = webhooks.send_test_event(sub)
        except ValidationError as exc:
            raise TestEventRefused(
                detail=exceptions.ErrorDetail(" ".join(exc.messages), code=exc.code)
            ) from exc
        return Response(
            {
                "delivery": delivery.pk,
                "event_id": str(delivery.event_id),
                "status": delivery.status,
            },
            status=status.HTTP_202_ACCEPTED,
        )
