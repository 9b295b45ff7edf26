"""Who may read a record's history and the access log.

History follows its record: the history of a record (the history pages, `GET
/api/v1/audit/history/` and a detention's `history/`) is visible exactly where the record is,
as each aggregate's policy says (`core.policy.REGISTRY`). An event's history follows the record
that owns it (a welfare check -> its detention). On top of seeing the record:

- a user needs the record's view permission, or the auditor's VIEW_AUDIT;
- a key needs the `audit:read` scope;
- the history of accounts, memberships, API keys and alert deliveries (names, scopes, key
  hashes, email addresses): only that organisation's administrators and auditors;
- an auditor reads another organisation's records only where the deployment allows it:
  `HARBOUR["AUDITORS_READ_OTHER_ORGANISATIONS"]` (True or False; unset: allowed while the
  deployment holds at most one police force, refused once it holds more). The reason for such
  access is asked and logged by `audit.access`.

A record no policy governs is nobody's to read here (404) except under the rule above.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Perm
from accounts.roles import OrganisationKind, Role
from core.policy import ALLOW, Decision, Principal, deny, hide, visible_queryset

from . import history

# Records about an organisation's own people and systems: its administrators and auditors only.
ORGANISATION_RECORDS = {
    "accounts.user": "membership__organisation_id",
    "accounts.membership": "organisation_id",
    "accounts.apikey": "organisation_id",
    "accounts.organisation": "pk",
    "accounts.npu": "force_id",
    "alerts.delivery": "user__membership__organisation_id",
    "alerts.channelpreference": "user__membership__organisation_id",
}


def auditors_read_other_organisations() -> bool:
    configured = getattr(settings, "HARBOUR", {}).get("AUDITORS_READ_OTHER_ORGANISATIONS")
    if configured is not None:
        return bool(configured)
    from accounts.models import Organisation

    return Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE).count() <= 1


def _snapshot(model, pk):
    """The record, or for a deleted one its last history row (same field names)."""
    obj = model._base_manager.filter(pk=pk).first()
    if obj is not None:
        return obj
    return model.history.filter(**{model._meta.pk.attname: pk}).order_by("-history_id").first()


def _organisation_of(model, label: str, pk) -> int | None:
    path = ORGANISATION_RECORDS[label]
    if path == "pk":
        return pk
    row = model._base_manager.filter(pk=pk).values_list(path, flat=True).first()
    if row is None and label == "accounts.membership":
        last = _snapshot(model, pk)
        row = getattr(last, "organisation_id", None)
    return row


def _owner_visible(actor: Principal, owner_model, owner) -> bool | None:
    """Whether the owning record is visible to the actor; None if no policy governs it."""
    label = history.label_of(owner_model)
    qs = visible_queryset(label, actor)
    if qs is not None:
        return qs.filter(pk=owner.pk).exists()
    try:
        owner_model._meta.get_field("organisation")
    except FieldDoesNotExist:
        return None
    return owner.organisation_id == actor.organisation_id


def may_read_history(actor: Principal, model: type[models.Model], pk) -> Decision:
    """May `actor` read the history of record `pk` of `model`? 404 when they may not see it."""
    if not actor.is_authenticated:
        return deny()
    label = history.label_of(model)
    if label in ORGANISATION_RECORDS:
        if actor.is_user and (
            actor.has_role(Role.ADMINISTRATOR) or actor.has_role(Role.AUDITOR) or actor.superuser
        ):
            org = _organisation_of(model, label, pk)
            if org is not None and org == actor.organisation_id:
                return ALLOW
        return hide()
    if actor.is_key and not actor.has_scope("audit:read"):
        return deny(_("This key needs the audit:read scope."))
    obj = _snapshot(model, pk)
    if obj is None:
        return hide()
    owner_model, owner = history.owner_record(model, obj)
    visible = _owner_visible(actor, owner_model, owner) if owner is not None else False
    auditor = actor.is_user and actor.has_perm(Perm.VIEW_AUDIT)
    if auditor and (visible or auditors_read_other_organisations()):
        return ALLOW
    if not visible:
        return hide()
    if actor.is_key:
        return ALLOW
    perm = history.VIEW_PERMS.get(history.label_of(owner_model))
    if perm is not None and actor.has_perm(perm):
        return ALLOW
    return hide()


def outside_organisation(actor: Principal, label: str, pk) -> bool:
    """True when the record is not visible to the actor's organisation (access by the auditor's
    cross-organisation rule only: the reason is asked)."""
    if actor.organisation_id is None:
        return True
    qs = visible_queryset(label, actor)
    return True if qs is None else not qs.filter(pk=pk).exists()
