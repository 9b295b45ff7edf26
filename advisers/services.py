"""The one door for roster and advice changes, and the roster's queries.

Services take aware UTC instants (forms convert Europe/London local times, refusing ambiguous and
non-existent ones). A refused change raises `django.core.exceptions.ValidationError` with a
message per field and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role

from .models import AdviceRecord, Function, RosterShift

# Advice can be recorded a little ahead of the server clock (a phone's clock runs fast).
CLOCK_SKEW = timedelta(minutes=2)


def max_shift() -> timedelta:
    return timedelta(hours=settings.HARBOUR_DELIVERY["ROSTER_MAX_SHIFT_HOURS"])


def advisers_of(force):
    """The force's users who can be rostered: members with the tactical adviser role."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__organisation=force,
            membership__roles__contains=[Role.MH_TACTICAL_ADVISER],
        )
        .order_by("display_name", "username")
    )


def _check_shift(*, force, function, adviser, starts_at, ends_at, exclude_pk=None):
    errors: dict[str, list[str]] = {}
    if function not in Function.values:
        errors.setdefault("function", []).append(_("Choose a function"))
    if not advisers_of(force).filter(pk=adviser.pk).exists():
        errors.setdefault("adviser", []).append(
            _("Choose a mental health tactical adviser of this force")
        )
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("shift instants must be aware")
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The shift must end after it starts"))
    elif ends_at - starts_at > max_shift():
        errors.setdefault("ends_at", []).append(
            _("A shift can be at most %(h)d hours long; split a longer cover into shifts")
            % {"h": int(max_shift().total_seconds() // 3600)}
        )
    if not errors:
        clash = (
            RosterShift.objects.filter(adviser=adviser)
            .overlapping(starts_at, ends_at)
            .exclude(pk=exclude_pk)
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            local = timezone.localtime(clash.starts_at)
            end = timezone.localtime(clash.ends_at)
            errors.setdefault("starts_at", []).append(
                _(
                    "%(name)s is already on a %(function)s shift from %(start)s to %(end)s; "
                    "shifts for the same adviser cannot overlap"
                )
                % {
                    "name": adviser,
                    "function": clash.get_function_display(),
                    "start": local.strftime("%d/%m/%Y %H:%M %Z"),
                    "end": end.strftime("%d/%m/%Y %H:%M %Z"),
                }
            )
    if errors:
        raise ValidationError(errors)


def _lock_adviser(adviser):
    # Serialises roster changes for one adviser, so two concurrent saves cannot both pass the
    # overlap check.
    get_user_model().objects.select_for_update().filter(pk=adviser.pk).first()


def add_shift(*, force, function, adviser, starts_at, ends_at, notes="", by=None) -> RosterShift:
    with transaction.atomic():
        _lock_adviser(adviser)
        _check_shift(
            force=force, function=function, adviser=adviser, starts_at=starts_at, ends_at=ends_at
        )
        return RosterShift.objects.create(
            force=force,
            function=function,
            adviser=adviser,
            starts_at=starts_at,
            ends_at=ends_at,
            notes=notes,
            created_by=by,
        )


def update_shift(shift, *, function, adviser, starts_at, ends_at, notes="") -> RosterShift:
    with transaction.atomic():
        _lock_adviser(adviser)
        if adviser.pk != shift.adviser_id:
            _lock_adviser(shift.adviser)
        shift = RosterShift.objects.select_for_update().get(pk=shift.pk)
        _check_shift(
            force=shift.force,
            function=function,
            adviser=adviser,
            starts_at=starts_at,
            ends_at=ends_at,
            exclude_pk=shift.pk,
        )
        shift.function, shift.adviser = function, adviser
        shift.starts_at, shift.ends_at, shift.notes = starts_at, ends_at, notes
        shift.save()
        return shift


def remove_shift(shift) -> None:
    with transaction.atomic():
        RosterShift.objects.select_for_update().filter(pk=shift.pk).delete()


# --------------------------------------------------------------------------- queries
def on_duty(force, function, at: datetime | None = None):
    """Shifts of `function` running at the instant `at` (default now), earliest start first."""
    at = at or timezone.now()
    return (
        RosterShift.objects.filter(force=force, function=function)
        .at(at)
        .select_related("adviser")
        .order_by("starts_at", "pk")
    )


def on_duty_by_function(force, at: datetime | None = None) -> list[dict]:
    """[{function, label, shifts}] for every function, in one query."""
    at = at or timezone.now()
    shifts = list(
        RosterShift.objects.filter(force=force)
        .at(at)
        .select_related("adviser")
        .order_by("starts_at")
    )
    return [
        {
            "function": value,
            "label": label,
            "shifts": [s for s in shifts if s.function == value],
        }
        for value, label in Function.choices
    ]


@dataclass(frozen=True)
class Gap:
    function: str
    starts_at: datetime
    ends_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def get_function_display(self) -> str:
        return str(Function(self.function).label)


def uncovered(intervals, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) that no (starts_at, ends_at) interval covers. Pure."""
    out = []
    cursor = start
    for s, e in sorted(intervals):
        if e <= cursor:
            continue
        if s >= end:
            break
        if s > cursor:
            out.append((cursor, s))
        cursor = max(cursor, e)
        if cursor >= end:
            break
    if cursor < end:
        out.append((cursor, end))
    return out


def gaps(force, start: datetime | None = None, days: int = 7) -> list[Gap]:
    """Every stretch in the coming `days` with no adviser rostered for a function (one query)."""
    start = start or timezone.now()
    end = start + timedelta(days=days)
    rows = list(
        RosterShift.objects.filter(force=force)
        .overlapping(start, end)
        .values_list("function", "starts_at", "ends_at")
    )
    found = []
    for function in Function.values:
        intervals = [(s, e) for f, s, e in rows if f == function]
        found += [Gap(function, s, e) for s, e in uncovered(intervals, start, end)]
    return sorted(found, key=lambda g: (g.starts_at, g.function))


# --------------------------------------------------------------------------- advice
def record_advice(
    *,
    force,
    function,
    requested_by,
    requested_at,
    advice_given_at,
    advice,
    detention=None,
    incident=None,
    adviser=None,
    adviser_name="",
    now=None,
) -> AdviceRecord:
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if detention is None and incident is None:
        errors.setdefault("__all__", []).append(
            _("Advice is recorded on an incident or a detention")
        )
    if function not in Function.values:
        errors.setdefault("function", []).append(_("Choose the function the adviser covered"))
    adviser_name = (adviser_name or "").strip()
    if adviser is None and not adviser_name:
        errors.setdefault("adviser", []).append(_("Choose the adviser or enter their name"))
    if adviser is not None and not advisers_of(force).filter(pk=adviser.pk).exists():
        errors.setdefault("adviser", []).append(
            _("Choose a mental health tactical adviser of this force")
        )
    if not (advice or "").strip():
        errors.setdefault("advice", []).append(_("Enter the advice given"))
    if requested_at > now + CLOCK_SKEW:
        errors.setdefault("requested_at", []).append(
            _("The time advice was requested must be in the past")
        )
    if advice_given_at > now + CLOCK_SKEW:
        errors.setdefault("advice_given_at", []).append(
            _("The time advice was given must be in the past")
        )
    if advice_given_at < requested_at:
        errors.setdefault("advice_given_at", []).append(
            _("Advice cannot be given before it was requested")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return AdviceRecord.objects.create(
            force=force,
            detention=detention,
            incident=incident,
            function=function,
            adviser=adviser,
            adviser_name="" if adviser is not None else adviser_name,
            requested_by=requested_by,
            requested_at=requested_at,
            advice_given_at=advice_given_at,
            advice=advice.strip(),
        )
