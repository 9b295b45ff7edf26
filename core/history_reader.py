"""The one reader of change history (core.history): what the audit history page and API, the
detention history API and the detention page's timeline read.

A record's history includes the records it owns, found through `_meta` so new ones are picked
up automatically: every model with history that points at it with a CASCADE foreign key or
one-to-one (a detention's arrival, transfers, welfare checks, reviews...), and the one-to-one
records those point at (police station decisions). One query per history table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


def has_history(model) -> bool:
    return hasattr(model, "history") and not model.__name__.startswith("Historical")


def history_model(model):
    return model.history.model


def owned_children(model) -> list[tuple[type, str]]:
    """(child model, its FK attname) for models with history that CASCADE from `model`."""
    out = []
    for rel in model._meta.related_objects:
        if rel.many_to_many or not (rel.one_to_many or rel.one_to_one):
            continue
        child = rel.related_model
        if child is model or not has_history(child):
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
            and has_history(f.related_model)
        ):
            out.append((f.related_model, f.attname))
    return out


@dataclass(frozen=True)
class Step:
    """One history row, with the same record's row before it (None for its first)."""

    model: type  # the tracked model (not the historical one)
    row: object  # the historical row
    previous: object | None
    rank: int  # where its kind of record comes: the record 0, its children in order, then followed

    @property
    def object_id(self):
        return getattr(self.row, self.model._meta.pk.attname)


def read(model, pk, children: list[tuple[type, str]] | None = None) -> list[Step]:
    """Every history row of the record `pk` and of the records it owns (`children`: (model, FK
    attname), by default every one found through `_meta`), deleted ones included, and of the
    one-to-one records those point at. Grouped by record, each record's rows in time order."""
    if children is None:
        children = owned_children(model)
    sources = [(model, {model._meta.pk.attname: pk})] + [(c, {fk: pk}) for c, fk in children]
    found: list[tuple[int, type, object]] = []
    followed: dict[type, set] = {}
    for rank, (source, lookup) in enumerate(sources):
        rows = list(
            history_model(source).objects.filter(**lookup).order_by("history_date", "history_id")
        )
        found += [(rank, source, r) for r in rows]
        if source is not model:
            for target, attname in owned_one_to_ones(source, model):
                ids = {getattr(r, attname) for r in rows} - {None}
                followed.setdefault(target, set()).update(ids)
    for offset, (target, ids) in enumerate(followed.items()):
        if ids:
            rows = history_model(target).objects.filter(**{f"{target._meta.pk.attname}__in": ids})
            found += [
                (len(sources) + offset, target, r)
                for r in rows.order_by("history_date", "history_id")
            ]
    by_record: dict[tuple, list] = {}
    for rank, source, row in found:
        key = (source, getattr(row, source._meta.pk.attname))
        by_record.setdefault(key, []).append((rank, row))
    steps = []
    for (source, _pk), rows in by_record.items():
        rows.sort(key=lambda r: (r[1].history_date, r[1].history_id))
        previous = None
        for rank, row in rows:
            steps.append(Step(source, row, previous, rank))
            previous = row
    return steps


def first_set_by(model, field: str, **lookup) -> dict:
    """{record pk: who first set `field`} among the records `lookup` selects (one query): who
    ended a detention, who recorded the arrival after a transfer."""
    who: dict = {}
    rows = (
        history_model(model)
        .objects.filter(**lookup, **{f"{field}__isnull": False})
        .order_by("history_date", "history_id")
        .values_list(model._meta.pk.attname, "changed_by")
    )
    for pk, by in rows:
        who.setdefault(pk, by)
    return who
