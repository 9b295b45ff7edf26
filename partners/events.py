"""Domain events (`core.events`) turned into webhook deliveries, one per organisation that may
see the record, each with the record as the API shows it to that organisation.

Installed from `PartnersConfig.ready` (`core.events.listen(deliver)`). For each event:

1. the organisations with an active subscription to the event (one query);
2. of those, the ones the record's own policy lets see it (`detentions/policy.py` for a
   detention: the recording force, the operators of the places it has been at or is moving to,
   the covering AMHP service's local authority; `partners/policy.py` for a referral: sender and
   receiver). A partner not involved gets nothing: it is never asked, so it cannot leak;
3. for each of them, `data` is `{<kind>: <the record as the API shows it to them>, ...}` plus
   the event's own facts (the keyword arguments given to `core.events.publish`, the same for
   everyone who sees the record), and `webhooks.emit` writes the outbox rows in the caller's
   transaction (a rolled-back change sends nothing).

A record kind is registered with `register_kind(model, key, visible_to, render)`: detentions and
referrals here; a higher app (alerts, a handover request) registers its own from its
`AppConfig.ready`. A record that is not registered but belongs to a detention (`record.detention`)
is sent as its detention, with `{<model name>: {"id": ...}}` beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models

from detentions import policy as detention_policy
from detentions.models import Detention, Transfer

from . import policy, webhooks
from .models import Referral, WebhookSubscription


@dataclass(frozen=True)
class Kind:
    key: str  # the key of the record in `data` ("detention", "referral", ...)
    visible_to: Callable[[int, object], bool]  # (organisation id, record) -> may it see it?
    render: Callable[[object, object, object], dict]  # (record, organisation, now) -> JSON


KINDS: dict[type, Kind] = {}


def register_kind(model: type, key: str, visible_to, render) -> None:
    KINDS[model] = Kind(key, visible_to, render)


# --- Detentions ---------------------------------------------------------------------------------


def _detention_visible_to(organisation_id: int, detention: Detention) -> bool:
    return (
        detention_policy.detentions_of_organisation(organisation_id)
        .filter(pk=detention.pk)
        .exists()
    )


def _render_detention(detention: Detention, organisation, now) -> dict:
    """`GET /api/v1/detentions/{id}/` as that organisation reads it (every organisation that
    may see a detention reads the same record there)."""
    from django.db.models import Prefetch

    from detentions.serializers import DetentionDetailSerializer

    fresh = (
        Detention.objects.select_related(
            "person",
            "organisation",
            "npu",
            "current_place_of_safety",
            "in_transfer_to",
            "arrival__police_station_decision",
            "extension",
            "assessment",
            "handover",
        )
        .prefetch_related(
            Prefetch(
                "transfers", queryset=Transfer.objects.select_related("police_station_decision")
            ),
            "welfare_checks",
            "reviews",
            "escapes",
            "transfer_exceptions",
            "corrections",
            "unlawful_acts",
        )
        .get(pk=detention.pk)
    )
    return dict(DetentionDetailSerializer(fresh, context={"now": now}).data)


# --- Referrals ----------------------------------------------------------------------------------


def _referral_visible_to(organisation_id: int, referral: Referral) -> bool:
    return policy.referrals_of_organisation(organisation_id).filter(pk=referral.pk).exists()


def _render_referral(referral: Referral, organisation, now) -> dict:
    """`GET /api/v1/referrals/{id}/` as that organisation reads it (the receiver sees less of
    the person than the sender)."""
    from .serializers import ReferralSerializer

    fresh = (
        Referral.objects.select_related(
            "person", "from_organisation", "to_organisation", "created_by"
        )
        .prefetch_related("status_changes")
        .get(pk=referral.pk)
    )
    return dict(ReferralSerializer(fresh, context={"viewer_organisation_id": organisation.pk}).data)


register_kind(Detention, "detention", _detention_visible_to, _render_detention)
register_kind(Referral, "referral", _referral_visible_to, _render_referral)


# --- The listener -------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, datetime):
        return webhooks.instant(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _kind_of(record) -> tuple[Kind, object, dict]:
    """The registered kind that renders `record` (or its detention), and what goes beside it."""
    for model, kind in KINDS.items():
        if isinstance(record, model):
            return kind, record, {}
    detention = getattr(record, "detention", None)
    if isinstance(detention, Detention) and isinstance(record, models.Model):
        return KINDS[Detention], detention, {record._meta.model_name: {"id": record.pk}}
    raise TypeError(
        f"no webhook payload for {type(record).__name__}: register it with "
        "partners.events.register_kind"
    )


def subscribed_organisations(event: str):
    """The organisations with an active subscription to `event`."""
    from accounts.models import Organisation

    org_ids = (
        WebhookSubscription.objects.filter(active=True, events__contains=[event])
        .values("organisation_id")
        .distinct()
    )
    return Organisation.objects.filter(pk__in=org_ids).order_by("pk")


def deliver(event: str, record, *, now=None, data=None) -> None:
    """The `core.events` listener: webhook deliveries for every organisation that subscribed to
    `event` and may see `record`, each with the record as it sees it."""
    from django.utils import timezone

    if not isinstance(record, models.Model):
        return  # not a record (nothing a partner could be shown)
    now = now or timezone.now()
    kind, subject, beside = _kind_of(record)
    facts = {**beside, **_jsonable(dict(data or {}))}
    for organisation in subscribed_organisations(event):
        if not kind.visible_to(organisation.pk, subject):
            continue
        payload = {**facts, kind.key: kind.render(subject, organisation, now)}
        webhooks.emit(organisation, event, payload, now=now)
