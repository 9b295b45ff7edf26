"""A record's history in plain words: each version, who made it, when, and what changed.

Works for any model with `history = HarbourHistory()`. A record's timeline also includes the
records it owns, found through `_meta` so new ones are picked up automatically: every model with
history that points at it with a CASCADE foreign key or one-to-one (a detention's arrival,
transfers, welfare checks, reviews, extension, assessment, handover, escapes, transfer
exceptions and corrections), and the one-to-one records those point at (police station
decisions). The number of queries is fixed: one per history table, one per referenced model.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.http import Http404
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.permissions import Perm

# The permission that lets a user see a kind of record (and so its history, in their organisation).
VIEW_PERMS = {
    "incidents.detention": Perm.VIEW_DETENTIONS,
    "incidents.person": Perm.VIEW_PEOPLE,
    "incidents.incident": Perm.VIEW_INCIDENTS,
    "partners.referral": Perm.VIEW_REFERRALS,
    "places_of_safety.placeofsafety": Perm.VIEW_PLACES,
}

CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def label_of(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


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
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not hasattr(model, "history") or model.__name__.startswith("Historical"):
        raise Http404
    return model


def history_model(model):
    return model.history.model


def _has_history(model) -> bool:
    return hasattr(model, "history") and not model.__name__.startswith("Historical")


def owned_children(model) -> list[tuple[type, str]]:
    """(child model, its FK attname) for models with history that CASCADE from `model`."""
    out = []
    for rel in model._meta.related_objects:
        if rel.many_to_many or not (rel.one_to_many or rel.one_to_one):
            continue
        child = rel.related_model
        if child is model or not _has_history(child):
            continue
        if rel.on_delete is not models.CASCADE:
            continue
        out.append((child, rel.field.attname))
    return sorted(out, key=lambda c: c[0]._meta.model_name)


def owned_one_to_ones(child, parent) -> list[tuple[type, str]]:
    """Records a child points at one-to-one (e.g. a police station decision), other than its parent."""
    out = []
    for f in child._meta.concrete_fields:
        if (
            isinstance(f, models.OneToOneField)
            and f.related_model is not parent
            and _has_history(f.related_model)
        ):
            out.append((f.related_model, f.attname))
    return out


def owning_parent(model, depth=0):
    """(parent model, FK attname) the record CASCADEs from, if any (an event -> its detention)."""
    for f in model._meta.concrete_fields:
        if (
            f.is_relation
            and (f.many_to_one or f.one_to_one)
            and getattr(f.remote_field, "on_delete", None) is models.CASCADE
            and _has_history(f.related_model)
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


def _sources(model, pk) -> list[tuple[type, dict]]:
    """(model, filter on its history table) for the record and everything it owns."""
    return [(model, {model._meta.pk.attname: pk})] + [
        (child, {fk: pk}) for child, fk in owned_children(model)
    ]


def history_rows(model, pk):
    """Raw history rows for the record and what it owns: one query per history table."""
    rows: list[tuple[type, object]] = []
    for source, flt in _sources(model, pk):
        hist = list(history_model(source).objects.filter(**flt).order_by("history_date", "pk"))
        rows.extend((source, r) for r in hist)
        if source is not model:
            for target, attname in owned_one_to_ones(source, model):
                ids = {getattr(r, attname) for r in hist if getattr(r, attname) is not None}
                if ids:
                    tq = history_model(target).objects.filter(
                        **{f"{target._meta.pk.attname}__in": ids}
                    )
                    rows.extend((target, r) for r in tq.order_by("history_date", "pk"))
    return rows


def _fk_texts(pairs) -> dict:
    """One query per referenced model: {(model, pk): str(target)}."""
    wanted: dict[type, set] = {}
    for model, row in pairs:
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


def build_versions(pairs) -> list[Version]:
    texts = _fk_texts(pairs)
    display = _Display(texts)
    by_record: dict[tuple, list] = {}
    for model, row in pairs:
        key = (model, getattr(row, model._meta.pk.attname))
        by_record.setdefault(key, []).append(row)
    versions: list[Version] = []
    for (model, object_id), rows in by_record.items():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        fields = diff_fields(model)
        previous = None
        # A record with a reference is named by it ("Detention MID-2026-0001"), not its id.
        reference = next((r.reference for r in reversed(rows) if getattr(r, "reference", "")), "")
        record_text = f"{capfirst(model._meta.verbose_name)} {reference or object_id}"
        for row in rows:
            changes = []
            if row.history_type != "-":
                for f in fields:
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
                    object_id=object_id,
                    record_text=record_text,
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
            previous = row
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
    return build_versions(history_rows(model, pk))


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
