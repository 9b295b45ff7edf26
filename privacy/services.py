"""Retention and subject access: the one door for the privacy app's changes.

- `past_retention(organisation, record_type, now=)`: the organisation's records older than
  their retention period (settings.RETENTION) and not kept by a current review decision.
- `record_review(...)`: records a decision (delete, or keep until a date), with its reason.
- `delete_reviewed_record(review, by=, now=)`: deletes the record a `delete` decision is about;
  nothing is deleted without one. The deletion is a history row ("-") with the actor, and the
  review records when and by whom.
- `subject_access_export(person, by=, request=)`: every record about a person (person,
  incidents, detentions and their events, referrals, history rows about them, access-log
  entries about them) as a zip of CSV and JSON; the export itself is access-logged.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import csv
from core.actor import acting_as, user_actor
from core.records import record_display_label

from .models import Decision, RecordType, RetentionReview


class RetentionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TypeSpec:
    """How a record type is found: its model, owner field and the date retention counts from."""

    model_path: str
    owner: str
    date_field: str

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)


SPECS = {
    RecordType.INCIDENTS: TypeSpec("incidents.Incident", "organisation", "occurred_at"),
    # Only ended detentions: an open detention is never past retention.
    RecordType.DETENTIONS: TypeSpec("detentions.Detention", "organisation", "ended_at"),
    RecordType.PEOPLE: TypeSpec("people.Person", "organisation", "updated_at"),
    RecordType.REFERRALS: TypeSpec("partners.Referral", "from_organisation", "created_at"),
}


def retention_period(record_type: str) -> timedelta:
    return settings.RETENTION[record_type]


def cutoff(record_type: str, now=None):
    return (now or timezone.now()) - retention_period(record_type)


def past_retention(organisation, record_type: str, *, now=None) -> models.QuerySet:
    now = now or timezone.now()
    spec = SPECS[RecordType(record_type)]
    model = spec.model
    qs = model.objects.filter(
        **{spec.owner: organisation, f"{spec.date_field}__lt": cutoff(record_type, now)}
    )
    if record_type == RecordType.PEOPLE:
        # A person is past retention only once no incident, detention or referral is left.
        qs = qs.filter(
            incidents__isnull=True, detentions__isnull=True, referrals__isnull=True
        ).filter(merged_into__isnull=True)
    kept = RetentionReview.objects.filter(
        record_type=record_type,
        record_id=OuterRef("pk"),
        decision=Decision.KEEP,
        keep_until__gte=timezone.localdate(now),
    )
    return qs.annotate(kept=Exists(kept)).filter(kept=False).order_by(spec.date_field, "pk")


def record_for(record_type: str, pk: int, organisation):
    spec = SPECS[RecordType(record_type)]
    return spec.model.objects.filter(**{spec.owner: organisation}).get(pk=pk)


def label_of(record) -> str:
    return str(getattr(record, "reference", "") or record)[:200]


def record_review(
    *,
    organisation,
    record_type: str,
    record_id: int,
    decision: str,
    reason: str,
    keep_until: date | None = None,
    by,
    now=None,
) -> RetentionReview:
    now = now or timezone.now()
    if not (reason or "").strip():
        raise RetentionRefused(_("Give the reason for the decision."))
    if decision == Decision.KEEP and (keep_until is None or keep_until <= timezone.localdate(now)):
        raise RetentionRefused(_("Give a date in the future to keep the record until."))
    with transaction.atomic(), acting_as(user_actor(by)):
        record = record_for(record_type, record_id, organisation)
        if not past_retention(organisation, record_type, now=now).filter(pk=record.pk).exists():
            raise RetentionRefused(_("This record is not past its retention period."))
        return RetentionReview.objects.create(
            organisation=organisation,
            record_type=record_type,
            record_id=record.pk,
            record_label=label_of(record),
            decision=decision,
            reason=reason.strip(),
            keep_until=keep_until if decision == Decision.KEEP else None,
            decided_by=by,
            decided_at=now,
        )


def delete_reviewed_record(review: RetentionReview, *, by, now=None) -> RetentionReview:
    """Deletes the record a `delete` decision is about (never without one)."""
    now = now or timezone.now()
    with transaction.atomic(), acting_as(user_actor(by)):
        review = RetentionReview.objects.select_for_update().get(pk=review.pk)
        if review.decision != Decision.DELETE:
            raise RetentionRefused(_("Only a decision to delete allows deletion."))
        if review.deleted_at is not None:
            raise RetentionRefused(_("This record has already been deleted."))
        try:
            record = record_for(review.record_type, review.record_id, review.organisation)
        except models.ObjectDoesNotExist as exc:
            raise RetentionRefused(_("The record no longer exists.")) from exc
        if (
            not past_retention(review.organisation, review.record_type, now=now)
            .filter(pk=record.pk)
            .exists()
        ):
            raise RetentionRefused(_("This record is no longer past its retention period."))
        record._change_reason = f"Retention review {review.pk}: {review.reason}"[:100]
        try:
            with transaction.atomic():
                record.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise RetentionRefused(
                _(
                    "Other records still depend on this one (%(what)s). Review and delete "
                    "them first."
                )
                % {"what": ", ".join(sorted({str(o._meta.verbose_name) for o in exc.args[1]}))}
            ) from exc
        review.deleted_at = now
        review.deleted_by = by
        review.save(update_fields=["deleted_at", "deleted_by"])
        return review


# --- Subject access ------------------------------------------------------------------------


def _value(v):
    if isinstance(v, datetime):
        return v.astimezone(UTC).isoformat()
    if isinstance(v, date | timedelta):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _value(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def _row(obj) -> dict:
    out = {}
    for field in obj._meta.concrete_fields:
        out[field.attname] = _value(getattr(obj, field.attname))
    return out


def _children(obj, seen: set) -> list:
    """Records that belong to `obj` (reverse one-to-one and many-to-one relations): a
    detention's events, a referral's status changes. Organisations and users are not followed."""
    out = []
    for rel in obj._meta.related_objects:
        if rel.many_to_many or rel.related_model._meta.app_label in ("accounts", "auth"):
            continue
        if rel.related_model._meta.label.startswith(("alerts.", "audit.")):
            continue
        accessor = rel.get_accessor_name()
        if rel.one_to_one:
            try:
                children = [getattr(obj, accessor)]
            except models.ObjectDoesNotExist:
                children = []
        else:
            children = list(getattr(obj, accessor).all())
        for child in children:
            key = (child._meta.label, child.pk)
            if key not in seen and not child._meta.label.startswith("people.Person"):
                seen.add(key)
                out.append(child)
                out.extend(_children(child, seen))
    return out


def subject_records(person) -> dict[str, list]:
    """Everything about the person, by model label (history and access log included)."""
    from audit.models import AccessLog

    seen = {(person._meta.label, person.pk)}
    objects = [person]
    for related in (
        list(person.incidents.all()),
        list(person.detentions.all()),
        list(person.referrals.all()),
    ):
        for obj in related:
            key = (obj._meta.label, obj.pk)
            if key in seen:
                continue
            seen.add(key)
            objects.append(obj)
            objects.extend(_children(obj, seen))
    by_label: dict[str, list] = {}
    for obj in objects:
        by_label.setdefault(record_display_label(obj), []).append(_row(obj))
    # History rows about each of those records.
    for obj in objects:
        manager = getattr(type(obj), "history", None)
        if manager is None:
            continue
        label = f"{record_display_label(obj)} history"
        for h in manager.filter(**{obj._meta.pk.attname: obj.pk}).order_by("history_date"):
            by_label.setdefault(label, []).append(_row(h))
    by_label["audit.AccessLog"] = [
        _row(e) for e in AccessLog.objects.filter(person_id=person.pk).order_by("at", "pk")
    ]
    return by_label


def subject_access_zip(person, *, now=None) -> bytes:
    now = now or timezone.now()
    records = subject_records(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "subject-access.json",
            json.dumps(
                {
                    "person_id": person.pk,
                    "generated_at": now.isoformat(),
                    "records": records,
                },
                indent=2,
                ensure_ascii=False,
            ),
        )
        for label, rows in records.items():
            out = io.StringIO()
            columns = sorted({k for r in rows for k in r})
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            for r in rows:
                writer.writerow(
                    {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in r.items()}
                )
            name = label.replace(" ", "-").replace(".", "-").lower()
            zf.writestr(f"csv/{name}.csv", out.getvalue())
        zf.writestr(
            "README.txt",
            "Subject access export from Harbour.\n"
            "subject-access.json holds every record below; csv/ has one file per kind of record.\n"
            "Times are UTC (ISO 8601). History rows show each change, who made it and when;\n"
            "audit-accesslog.csv lists who viewed records about this person.\n",
        )
    return buffer.getvalue()


def log_export(request, person, status_code: int = 200) -> None:
    """The export is itself an access to the person's records: one access-log row."""
    from audit.access import client_ip, principal_org
    from audit.models import AccessLog

    user = request.user
    AccessLog.objects.create(
        actor_kind="user",
        actor_label=user.get_username(),
        user=user,
        actor_organisation_id=principal_org(user),
        record_model="incidents.person",
        record_id=str(person.pk),
        record_organisation_id=person.organisation_id,
        person_id=person.pk,
        channel=AccessLog.Channel.PAGE,
        method=request.method,
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        status_code=status_code,
        outside_normal_roles=False,
        reason="Subject access export",
    )
