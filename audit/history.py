"""A record's history in plain words: each version, who made it, when, and what changed.

Works for any model with `history = HarbourHistory()`. The rows are read by the one history
reader (`core.history_reader`): the record's and those of the records it owns (a detention's
arrival, transfers, welfare checks, reviews, extension, assessment, handover, escapes, transfer
exceptions and corrections, and the police station decisions they point at). The number of
queries is fixed: one per history table, one per referenced model.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.permissions import Perm
from core import history_reader
from core.history_reader import has_history, history_model
from core.history_reader import owned_children as owned_children  # re-exported (audit.search)
from core.history_reader import owned_one_to_ones as owned_one_to_ones
from core.records import model_for_label, record_label

# The permission that lets a user see a kind of record (and so its history, in their organisation).
VIEW_PERMS = {
    "incidents.detention": Perm.VIEW_DETENTIONS,
    "incidents.person": Perm.VIEW_PEOPLE,
    "incidents.incident": Perm.VIEW_INCIDENTS,
    "partners.referral": Perm.VIEW_REFERRALS,
    "places_of_safety.placeofsafety": Perm.VIEW_PLACES,
    "people.responseplan": Perm.VIEW_PLANS,
}

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def label_of(model) -> str:
    """The public label (`core.records`): "incidents.detention" for a detention."""
    return record_label(model)


def parse_pk(model, raw):
    """The primary key value from a URL or query string; 404 when it cannot be one."""
    from django.core.exceptions import ValidationError

    try:
        value = model._meta.pk.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        raise Http404 from None
    if value in (None, ""):
        raise Http404
    if isinstance(value, int) and not (0 < value < 2**63):
        raise Http404
    return value


def tracked_model(label: str):
    """The model named `app_label.model` if it keeps history; otherwise 404."""
    try:
        model = model_for_label(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not hasattr(model, "history") or model.__name__.startswith("Historical"):
        raise Http404
    return model


def owning_parent(model, depth=0):
    """(parent model, FK attname) the record CASCADEs from, if any (an event -> its detention)."""
    for f in model._meta.concrete_fields:
        if (
            f.is_relation
            and (f.many_to_one or f.one_to_one)
            and getattr(f.remote_field, "on_delete", None) is models.CASCADE
            and has_history(f.related_model)
        ):
            return f.related_model, f.attname
    return None


# --- Values in plain words ---------------------------------------------------------------------


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def when(value) -> str:
    """An instant in Europe/London, with the zone (GMT/BST)."""
    return formats.date_format(timezone.localtime(value), "j F Y, H:i:s T")


class _Display:
    def __init__(self, fk_values: dict):
        self.fk_values = fk_values  # {(model, pk): str}

    def __call__(self, f, value) -> str:
        if _empty(value):
            return ""
        if f.is_relation:
            target = f.related_model
            text = self.fk_values.get((target, value))
            if text is None:
                return _("%(model)s %(id)s (no longer exists)") % {
                    "model": capfirst(target._meta.verbose_name),
                    "id": value,
                }
            return text
        if isinstance(f, ArrayField):
            base = f.base_field
            labels = dict(base.flatchoices) if base.choices else {}
            return ", ".join(str(labels.get(v, v)) for v in value)
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(f, models.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(f, models.DateTimeField):
            return when(value)
        if isinstance(f, models.DateField):
            return formats.date_format(value, "j F Y")
        if isinstance(f, models.JSONField):
            return json.dumps(value, sort_keys=True, default=str)
        return str(value)


@dataclass
class Change:
    field: str
    label: str
    old: object
    new: object
    old_text: str
    new_text: str

    @property
    def kind(self) -> str:
        if _empty(self.old):
            return "set"
        if _empty(self.new):
            return "cleared"
        return "changed"

    @property
    def sentence(self) -> str:
        if self.kind == "set":
            return _("%(field)s set to %(new)s") % {"field": self.label, "new": self.new_text}
        if self.kind == "cleared":
            return _("%(field)s cleared (was %(old)s)") % {
                "field": self.label,
                "old": self.old_text,
            }
        return _("%(field)s changed from %(old)s to %(new)s") % {
            "field": self.label,
            "old": self.old_text,
            "new": self.new_text,
        }


@dataclass
class Version:
    model: type
    object_id: object
    record_text: str
    history_id: int
    at: object
    change_type: str  # "+", "~", "-"
    changed_by: str
    actor_kind: str
    api_key_id: str
    triggered_by: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    #: The person's name (the user's display name) where `changed_by` is a username.
    changed_by_name: str = ""

    @property
    def label(self) -> str:
        return label_of(self.model)

    @property
    def type_label(self) -> str:
        return {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}[self.change_type]

    @property
    def is_correction(self) -> bool:
        return (self.reason or "").lower().startswith("correction")

    @property
    def is_late_entry(self) -> bool:
        """R2: written by a late entry (added after the detention ended)."""
        return (self.reason or "").lower().startswith("late entry")

    @property
    def when(self) -> str:
        return when(self.at)

    @property
    def who(self) -> str:
        if self.actor_kind == "api_key":
            return _("API key “%(name)s”") % {"name": self.changed_by}
        if self.actor_kind == "system" or self.changed_by.startswith(("system:", "command:")):
            name = self.changed_by.split(":", 1)[-1]
            if self.changed_by.startswith("command:"):
                text = _("Command “%(name)s”") % {"name": name}
            else:
                text = _("System task “%(name)s”") % {"name": name}
            if self.triggered_by:
                text += " " + _("(triggered by %(who)s)") % {"who": self.triggered_by}
            return text
        return self.changed_by_name or self.changed_by or _("Unknown (no one signed in)")

    def as_api(self) -> dict:
        return {
            "model": self.label,
            "object_id": self.object_id,
            "history_id": self.history_id,
            "changed_at": self.at,
            "changed_by": self.changed_by,
            "actor_kind": self.actor_kind,
            "api_key_id": self.api_key_id or None,
            "triggered_by": self.triggered_by or None,
            "change_type": CHANGE_TYPES[self.change_type],
            "correction": self.is_correction,
            "reason": self.reason or None,
            "changes": {c.field: [_jsonable(c.old), _jsonable(c.new)] for c in self.changes},
        }


def _jsonable(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff_fields(model) -> list[models.Field]:
    """The fields worth showing: every concrete field kept in history, except the id and
    automatic timestamps (they change on every save and say nothing)."""
    hist_names = {f.attname for f in history_model(model)._meta.concrete_fields}
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.attname not in hist_names:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if not f.editable and not f.is_relation:
            continue
        out.append(f)
    return out


# --- The timeline ------------------------------------------------------------------------------


def _fk_texts(steps) -> dict:
    """One query per referenced model: {(model, pk): str(target)}."""
    wanted: dict[type, set] = {}
    for step in steps:
        model, row = step.model, step.row
        for f in diff_fields(model):
            if f.is_relation:
                value = getattr(row, f.attname)
                if not _empty(value):
                    wanted.setdefault(f.related_model, set()).add(value)
    out = {}
    for target, ids in wanted.items():
        related = [
            f.name
            for f in target._meta.concrete_fields
            if f.is_relation and (f.many_to_one or f.one_to_one)
        ]
        qs = target._base_manager.select_related(*related).filter(pk__in=ids)
        for obj in qs:
            out[(target, obj.pk)] = str(obj)
    return out


def build_versions(steps) -> list[Version]:
    display = _Display(_fk_texts(steps))
    versions: list[Version] = []
    # A record with a reference is named by it ("Detention MID-2026-0001"), not its id.
    references = {
        (step.model, step.object_id): step.row.reference
        for step in sorted(steps, key=lambda st: (st.row.history_date, st.row.history_id))
        if getattr(step.row, "reference", "")
    }
    for step in steps:
        model, row, previous = step.model, step.row, step.previous
        changes = []
        if row.history_type != "-":
            for f in diff_fields(model):
                new = getattr(row, f.attname)
                old = getattr(previous, f.attname) if previous is not None else None
                if previous is None and _empty(new):
                    continue
                if previous is not None and old == new:
                    continue
                changes.append(
                    Change(
                        f.attname,
                        capfirst(str(f.verbose_name)),
                        old,
                        new,
                        display(f, old),
                        display(f, new),
                    )
                )
        versions.append(
            Version(
                model=model,
                object_id=step.object_id,
                record_text=(
                    f"{capfirst(model._meta.verbose_name)} "
                    f"{references.get((model, step.object_id)) or step.object_id}"
                ),
                history_id=row.history_id,
                at=row.history_date,
                change_type=row.history_type,
                changed_by=row.changed_by,
                actor_kind=row.actor_kind,
                api_key_id=row.api_key_id,
                triggered_by=row.triggered_by,
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
    _name_people(versions)
    versions.sort(key=lambda v: (v.at, v.history_id))
    return versions


def _name_people(versions) -> None:
    """Who made each change by their name, not their username (one query)."""
    from django.contrib.auth import get_user_model

    usernames = {
        v.changed_by
        for v in versions
        if v.changed_by
        and v.actor_kind not in ("api_key", "system")
        and not v.changed_by.startswith(("system:", "command:"))
    }
    if not usernames:
        return
    names = {u.username: str(u) for u in get_user_model().objects.filter(username__in=usernames)}
    for v in versions:
        v.changed_by_name = names.get(v.changed_by, "")


def timeline(model, pk) -> list[Version]:
    return build_versions(history_reader.read(model, pk))


# --- Which record governs it (who may see it: audit/policy.py) ----------------------------------------------------------------------------


def view_perm_for(model):
    """The permission governing a kind of record (an event's is its detention's)."""
    for _depth in range(4):
        perm = VIEW_PERMS.get(label_of(model))
        if perm is not None:
            return perm
        parent = owning_parent(model)
        if parent is None:
            return None
        model = parent[0]
    return None


def owner_record(model, obj):
    """The record whose permission and visibility govern `obj` (an event -> its detention)."""
    seen = 0
    while label_of(model) not in VIEW_PERMS and seen < 3:
        parent = owning_parent(model)
        if parent is None or obj is None:
            return model, None
        parent_model, attname = parent
        obj = parent_model._base_manager.filter(pk=getattr(obj, attname)).first()
        model, seen = parent_model, seen + 1
    return model, obj
