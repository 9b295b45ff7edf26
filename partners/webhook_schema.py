"""The webhook bodies in the OpenAPI schema: one component per event (`<Event>Webhook`) and one
`x-webhooks` entry per event (the OpenAPI 3.0 form of 3.1's `webhooks`, which ReDoc shows in its
own section), each the POST Harbour sends to a subscription.

A drf-spectacular postprocessing hook (`add_webhooks`, first in
`SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`): the schema stays OpenAPI 3.0.3, and the bodies
are built from the same serializers the deliveries use (`DetentionDetailSerializer`,
`ReferralSerializer`), so the schema cannot drift from what is sent. The `alert` of
`alert.raised` refers to the `Alert` component of `GET /api/v1/alerts/{id}/`.
"""

from __future__ import annotations

import copy

from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import ResolvedComponent, process_webhooks
from drf_spectacular.utils import (
    OpenApiResponse,
    OpenApiWebhook,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers

from core import events
from detentions.choices import Outcome
from detentions.serializers import DetentionDetailSerializer

from .models import TEST_EVENT, ReferralStatus
from .serializers import ReferralSerializer
from .webhooks import PAYLOAD_VERSION


def _const(value: str, **kwargs):
    """A string field that always holds `value` (an enum of one, inline in the schema)."""

    @extend_schema_field({"type": "string", "enum": [value]})
    class Const(serializers.CharField):
        pass

    return Const(**kwargs)


class _Body(serializers.Serializer):
    version = _const(
        PAYLOAD_VERSION,
        help_text=_(
            "The payload's version. Within a version changes are additive only (new events, "
            "new keys); anything else is a new version."
        ),
    )
    id = serializers.UUIDField(
        help_text=_("The event id (`X-Harbour-Delivery`, `webhook-id`): the same on every retry.")
    )
    created_at = serializers.DateTimeField(help_text=_("When it happened (UTC)."))
    organisation = serializers.CharField(help_text=_("The receiving organisation's slug."))


class _Detention(serializers.Serializer):
    detention = DetentionDetailSerializer(
        help_text=_(
            "The detention as `GET /api/v1/detentions/{id}/` shows it to you, after the change."
        )
    )


def _instant(help_text, **kwargs):
    return serializers.DateTimeField(help_text=help_text, **kwargs)


def _id(help_text, **kwargs):
    return serializers.IntegerField(help_text=help_text, **kwargs)


class _Rule(serializers.Serializer):
    rule = serializers.CharField(help_text=_("The rule's id (R1, PS1, E3...)."))
    code = serializers.CharField(help_text=_("The rule's error code."))


class _Referral(serializers.Serializer):
    referral = ReferralSerializer(
        help_text=_("The referral as `GET /api/v1/referrals/{id}/` shows it to you.")
    )
    from_status = serializers.ChoiceField(
        choices=ReferralStatus.choices, allow_null=True, help_text=_("null when it was sent.")
    )
    to_status = serializers.ChoiceField(choices=ReferralStatus.choices)


# Each event's own facts beside the record (the same for every organisation told).
DATA_FIELDS = {
    "detention.started": {},
    "detention.arrived": {
        "place_of_safety": _id(_("The place of safety the person arrived at.")),
        "arrived_at": _instant(_("When the person arrived.")),
        "transfer": _id(_("The transfer it ends; null for the first place."), allow_null=True),
    },
    "detention.transferred": {
        "transfer": _id(_("The transfer.")),
        "from_place_of_safety": _id(_("Where the person left."), allow_null=True),
        "to_place_of_safety": _id(_("Where the person is going.")),
        "departed_at": _instant(_("When the person left.")),
        "arrived_at": _instant(
            _("When the person arrived, when recorded with the transfer."), allow_null=True
        ),
    },
    "detention.extended": {},
    "detention.handover_requested": {},
    "detention.handover_accepted": {},
    "detention.handover_declined": {},
    "detention.unlawful_act_recorded": {
        "happened_at": _instant(_("When the act happened.")),
        "target": serializers.CharField(
            help_text=_("What it was recorded on: `detention`, or `<event>:<id>`.")
        ),
        "rules": _Rule(many=True, help_text=_("Every rule the act broke.")),
    },
    "detention.breached": {
        "expired_at": _instant(_("The expiry (C6) that passed while the person was detained.")),
    },
    "detention.ended": {
        "ended_at": _instant(_("When the detention ended.")),
        "outcome": serializers.ChoiceField(choices=Outcome.choices),
    },
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace(".", "_").split("_"))


def _data_serializer(event: str):
    if event in DATA_FIELDS:
        fields = {k: copy.deepcopy(v) for k, v in DATA_FIELDS[event].items()}
        return type(f"{_camel(event)}DataSerializer", (_Detention,), fields)
    if event.startswith("referral."):
        return type(f"{_camel(event)}DataSerializer", (_Referral,), {})
    if event == TEST_EVENT:
        return type(
            "WebhookTestDataSerializer",
            (serializers.Serializer,),
            {"message": serializers.CharField()},
        )
    return None  # described by hand (alert.raised)


def body_serializer(event: str):
    """The serializer of the whole body of `event` (None for one described by hand)."""
    data = _data_serializer(event)
    if data is None:
        return None
    return type(
        f"{_camel(event)}WebhookSerializer",
        (_Body,),
        {
            "event": _const(event, help_text=_("The event (also `X-Harbour-Event`).")),
            "data": data(),
        },
    )


def _describe(event: str) -> str:
    return str(events.NAMES.get(event, _("a test event (Send a test event)")))


def _webhook(event: str, body) -> OpenApiWebhook:
    return OpenApiWebhook(
        name=event,
        decorator=extend_schema(
            summary=_describe(event),
            description=_(
                "Signed with `X-Harbour-Signature` and the Standard Webhooks headers "
                "(docs/webhooks.md). Answer 2xx within 10 seconds; anything else is retried."
            ),
            request=body,
            responses={200: OpenApiResponse(description=_("Received."))},
        ),
    )


def _alert_raised(components: dict, registry) -> dict:
    """`alert.raised` by hand: its `alert` is the alerts API's own component."""
    name = "AlertRaisedWebhook"
    base = components["schemas"]["WebhookTestWebhook"]
    alert = (
        {"$ref": "#/components/schemas/Alert"}
        if "Alert" in components["schemas"]
        else {"type": "object"}
    )
    schema = {
        **base,
        "properties": {
            **base["properties"],
            "event": {"type": "string", "enum": ["alert.raised"]},
            "data": {
                "type": "object",
                "properties": {"alert": alert},
                "required": ["alert"],
                "description": str(_("The alert as `GET /api/v1/alerts/{id}/` shows it to you.")),
            },
        },
    }
    components["schemas"][name] = schema
    # In the registry too: the enum hook after this one rebuilds the components from it.
    registry.register_on_missing(
        ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
    )
    return {
        "post": {
            "summary": _describe("alert.raised"),
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                },
                "required": True,
            },
            "responses": {"200": {"description": str(_("Received."))}},
        }
    }


def add_webhooks(result, generator, **kwargs):
    """Adds every event's body to the components and `x-webhooks` (postprocessing hook)."""
    names = [*events.NAMES, TEST_EVENT]
    hooks = [_webhook(n, body_serializer(n)) for n in names if body_serializer(n) is not None]
    described = process_webhooks(hooks, generator.registry)
    for item in described.values():  # the error examples of our API are not a webhook's
        item["post"]["requestBody"]["content"]["application/json"].pop("examples", None)
    components = result.setdefault("components", {})
    for kind, items in generator.registry.build({}).items():
        for name, schema in items.items():
            components.setdefault(kind, {}).setdefault(name, schema)
    if "alert.raised" in events.NAMES:
        described["alert.raised"] = _alert_raised(components, generator.registry)
    result["x-webhooks"] = {n: described[n] for n in names if n in described}
    return result
