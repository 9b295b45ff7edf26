"""Audit search across every history table: one UNION ALL query per page (and one streamed query
for CSV), ordered newest first.

Limits: `person` finds the person's record, records that point at the person (detentions,
referrals) and the records those own (a detention's events), through the history tables so
deleted records are found too; it does not follow incidents' many-to-many list of people.
Pages are counted by "is there a next page" (no total: counting a union of every history table
is slow); at most `MAX_PAGE` pages are offered, narrow the search or export to CSV beyond that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import ApiKey, Membership, Organisation
from core.history_reader import owned_children, owned_one_to_ones
from core.records import model_for_label

from .history import label_of, owning_parent
from .sealing import is_historical

PAGE_SIZE = 50
MAX_PAGE = 200
COLUMNS = (
    "a_model",
    "a_object_id",
    "a_history_id",
    "a_at",
    "a_type",
    "a_changed_by",
    "a_actor_kind",
    "a_triggered_by",
    "a_api_key_id",
    "a_reason",
)


@dataclass
class Criteria:
    person: int | None = None
    model: str = ""  # "app_label.model"
    record_id: str = ""
    actor: str = ""
    organisation: int | None = None
    whose: str = "either"  # actor, record, either
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""  # "+", "~", "-", "correction"


def tracked_models() -> list[type]:
    return sorted({m.instance_type for m in apps.get_models() if _has_changed_by(m)}, key=label_of)


def _has_changed_by(m) -> bool:
    if not is_historical(m):
        return False
    names = {f.name for f in m._meta.concrete_fields}
    return {"changed_by", "history_date"} <= names


def _org_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Organisation
    ]


def _person_field(model) -> str | None:
    from people.models import Person

    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model is Person and f.name != "merged_into":
            return f.attname
    return None


def _via_parent(model, make_q) -> Q | None:
    """`make_q(parent)` applied through the owning parent's history table."""
    parent = owning_parent(model)
    if parent is None:
        return None
    parent_model, attname = parent
    inner = make_q(parent_model)
    if inner is None:
        return None
    ids = parent_model.history.filter(inner).values(parent_model._meta.pk.attname)
    return Q(**{f"{attname}__in": ids})


def _person_q(model, person_id) -> Q | None:
    from people.models import Person

    def direct(m):
        if m is Person:
            return Q(**{m._meta.pk.attname: person_id})
        field = _person_field(m)
        return Q(**{field: person_id}) if field else None

    return direct(model) or _via_parent(model, direct)


def _record_org_q(model, org_id) -> Q | None:
    def direct(m):
        fields = _org_fields(m)
        if m is Organisation:
            return Q(**{m._meta.pk.attname: org_id})
        if not fields:
            return None
        q = Q()
        for f in fields:
            q |= Q(**{f: org_id})
        return q

    return direct(model) or _via_parent(model, direct)


def _actor_org_q(org_id) -> Q:
    return Q(
        history_user_id__in=Membership.objects.filter(organisation_id=org_id).values("user_id")
    ) | Q(api_key_id__in=ApiKey.objects.filter(organisation_id=org_id).values("id"))


def _record_scope(c: Criteria) -> dict[type, Q]:
    """For a record search: the record's model and everything it owns, each with its filter."""
    root = model_for_label(c.model)
    pk = c.record_id
    if not pk.isdigit():
        try:
            root._meta.get_field("reference")
        except Exception:
            return {}
        row = root.history.filter(reference=pk).values(root._meta.pk.attname).first()
        if row is None:
            return {}
        pk = row[root._meta.pk.attname]
    scope = {root: Q(**{root._meta.pk.attname: pk})}
    for child, fk in owned_children(root):
        scope[child] = Q(**{fk: pk})
        for target, attname in owned_one_to_ones(child, root):
            ids = child.history.filter(**{fk: pk}).values(attname)
            scope[target] = Q(**{f"{target._meta.pk.attname}__in": ids})
    return scope


def _local_midnight(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def build_queryset(c: Criteria):
    scope = _record_scope(c) if c.model and c.record_id else None
    if scope is not None and not scope:
        return None
    parts = []
    for model in tracked_models():
        if scope is not None and model not in scope:
            continue
        q = scope[model] if scope is not None else Q()
        if c.person:
            pq = _person_q(model, c.person)
            if pq is None:
                continue
            q &= pq
        if c.model and not c.record_id and label_of(model) != c.model:
            continue
        if c.actor:
            q &= Q(changed_by__icontains=c.actor) | Q(triggered_by__icontains=c.actor)
        if c.organisation:
            parts_q = []
            if c.whose in ("actor", "either"):
                parts_q.append(_actor_org_q(c.organisation))
            if c.whose in ("record", "either"):
                rq = _record_org_q(model, c.organisation)
                if rq is not None:
                    parts_q.append(rq)
            if not parts_q:
                continue
            oq = Q()
            for p in parts_q:
                oq |= p
            q &= oq
        if c.date_from:
            q &= Q(history_date__gte=_local_midnight(c.date_from))
        if c.date_to:
            q &= Q(history_date__lt=_local_midnight(c.date_to + dt.timedelta(days=1)))
        if c.kind in ("+", "~", "-"):
            q &= Q(history_type=c.kind)
        elif c.kind == "correction":
            q &= Q(history_change_reason__istartswith="correction")
        hist = model.history.model
        parts.append(
            hist.objects.filter(q)
            .annotate(
                a_model=Value(label_of(model), output_field=CharField()),
                a_object_id=Cast(model._meta.pk.attname, output_field=CharField()),
                a_history_id=F("history_id"),
                a_at=F("history_date"),
                a_type=F("history_type"),
                a_changed_by=F("changed_by"),
                a_actor_kind=F("actor_kind"),
                a_triggered_by=F("triggered_by"),
                a_api_key_id=F("api_key_id"),
                a_reason=Cast("history_change_reason", output_field=models.TextField()),
            )
            .values(*COLUMNS)
            .order_by()
        )
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0].order_by("-a_at", "-a_history_id")
    return parts[0].union(*parts[1:], all=True).order_by("-a_at", "-a_history_id")


def page(c: Criteria, number: int = 1, size: int = PAGE_SIZE):
    """(rows, has_next) for page `number` (1-based): one query."""
    qs = build_queryset(c)
    if qs is None:
        return [], False
    number = max(1, min(number, MAX_PAGE))
    start = (number - 1) * size
    rows = list(qs[start : start + size + 1])
    return rows[:size], len(rows) > size


def iterate(c: Criteria):
    qs = build_queryset(c)
    if qs is None:
        return iter(())
    return qs.iterator(chunk_size=2000)
