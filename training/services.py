"""The one door for training records: record one completion, or import a learning-system CSV.

The import is all-or-nothing per row and one transaction per run: every valid row is stored,
every refused row is reported with its line number and why (unknown officer, unknown course, bad
date, future date, duplicate), and nothing is half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Organisation
from core.history import actor_attrs

from . import courses
from .models import Source, TrainingRecord

COLUMNS = ("collar_number", "course_code", "completed_on")
MAX_ROWS = 20000


def parse_date(raw: str) -> dt.date | None:
    raw = (raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def force_officers(force):
    return get_user_model().objects.filter(membership__organisation=force, is_active=True)


def record_training(*, user, course, completed_on, by=None, now=None) -> TrainingRecord:
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if course not in courses.Course.values:
        errors["course"] = [_("Choose a course")]
    if completed_on > timezone.localdate(now):
        errors["completed_on"] = [_("The date completed must be today or in the past")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Serialise writes for this officer so the duplicate check holds.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if TrainingRecord.objects.filter(
            user=user, course=course, completed_on=completed_on
        ).exists():
            raise ValidationError(
                {"completed_on": [_("This completion is already recorded for the officer")]}
            )
        return TrainingRecord.objects.create(
            user=user,
            course=course,
            completed_on=completed_on,
            refresher_due_on=courses.refresher_due_on(course, completed_on),
            source=Source.MANUAL,
            recorded_by=by,
        )


@dataclass
class RefusedRow:
    line: int
    collar_number: str
    course_code: str
    completed_on: str
    reasons: list[str]


@dataclass
class ImportReport:
    imported: list[TrainingRecord] = field(default_factory=list)
    refused: list[RefusedRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors


def _text(data) -> str:
    if isinstance(data, str):
        return data
    if isinstance(data, bytes):
        raw = data
    else:
        raw = b"".join(data.chunks()) if hasattr(data, "chunks") else data.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file is not a text CSV file"))


def import_training(*, force: Organisation, data, by=None, now=None) -> ImportReport:
    """Imports a learning-system export (columns collar_number, course_code, completed_on)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = ImportReport()
    try:
        text = _text(data)
    except ValidationError as exc:
        report.file_errors = exc.messages
        return report
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        report.file_errors.append(
            _("The file must have the columns %(cols)s; missing: %(missing)s")
            % {"cols": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
        return report
    reader.fieldnames = headers

    with transaction.atomic():
        # One import per force at a time: the duplicate checks below then hold.
        Organisation.objects.select_for_update().filter(pk=force.pk).first()
        by_collar: dict[str, list] = defaultdict(list)
        for user in force_officers(force).exclude(collar_number=""):
            by_collar[user.collar_number.strip().upper()].append(user)
        officer_ids = [u.pk for users in by_collar.values() for u in users]
        existing = set(
            TrainingRecord.objects.filter(user_id__in=officer_ids).values_list(
                "user_id", "course", "completed_on"
            )
        )
        seen: dict[tuple, int] = {}
        new: list[TrainingRecord] = []
        for count, row in enumerate(reader, start=1):
            line = reader.line_num
            if count > MAX_ROWS:
                report.file_errors.append(
                    _("The file has more than %(n)d rows: split it and import each part")
                    % {"n": MAX_ROWS}
                )
                transaction.set_rollback(True)
                report.imported = []
                return report
            values = {c: (row.get(c) or "").strip() for c in COLUMNS}
            if not any(values.values()):
                continue  # a blank line
            reasons = []
            users = by_collar.get(values["collar_number"].upper(), [])
            if not values["collar_number"] or not users:
                reasons.append(
                    _("unknown officer: no officer of this force has that collar number")
                )
            elif len(users) > 1:
                reasons.append(
                    _("unknown officer: the collar number matches more than one officer")
                )
            course = courses.by_code(values["course_code"])
            if course is None:
                reasons.append(_("unknown course code"))
            completed = parse_date(values["completed_on"])
            if completed is None:
                reasons.append(_("bad date: use YYYY-MM-DD or DD/MM/YYYY"))
            elif completed > today:
                reasons.append(_("future date: the course cannot have been completed yet"))
            if not reasons:
                key = (users[0].pk, course, completed)
                if key in existing:
                    reasons.append(_("duplicate: this completion is already recorded"))
                elif key in seen:
                    reasons.append(
                        _("duplicate: the same completion is on line %(line)d")
                        % {"line": seen[key]}
                    )
                else:
                    seen[key] = line
            if reasons:
                report.refused.append(RefusedRow(line, *values.values(), reasons))
                continue
            new.append(
                TrainingRecord(
                    user=users[0],
                    course=course,
                    completed_on=completed,
                    refresher_due_on=courses.refresher_due_on(course, completed),
                    source=Source.IMPORT,
                    recorded_by=by,
                )
            )
        if new:
            report.imported = bulk_create_with_history(
                new, TrainingRecord, custom_historical_attrs=actor_attrs()
            )
    return report


# --------------------------------------------------------------------------- status and coverage
@dataclass
class CourseStatus:
    course: str
    label: str
    required: bool
    latest: TrainingRecord | None
    state: str  # in_date, due_soon, expired, missing

    @property
    def in_date(self) -> bool:
        return self.state in ("in_date", "due_soon")


DUE_SOON_DAYS = 30


def _state(record, today) -> str:
    if record is None:
        return "missing"
    if record.refresher_due_on <= today:
        return "expired"
    if record.refresher_due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return "in_date"


def latest_records(user_ids) -> dict[tuple[int, str], TrainingRecord]:
    """The latest completion per (officer, course), in one query."""
    rows = (
        TrainingRecord.objects.filter(user_id__in=user_ids)
        .order_by("user_id", "course", "-completed_on")
        .distinct("user_id", "course")
    )
    return {(r.user_id, r.course): r for r in rows}


def officer_status(user, today=None) -> list[CourseStatus]:
    today = today or timezone.localdate()
    roles = user.roles
    required = courses.required_courses(roles)
    latest = latest_records([user.pk])
    return [
        CourseStatus(
            course=value,
            label=label,
            required=value in required,
            latest=latest.get((user.pk, value)),
            state=_state(latest.get((user.pk, value)), today),
        )
        for value, label in courses.Course.choices
    ]


def is_in_date(user_id, roles, latest, today) -> bool:
    return all(
        _state(latest.get((user_id, c)), today) in ("in_date", "due_soon")
        for c in courses.required_courses(roles)
    )


@dataclass
class CoverageRow:
    key: str
    label: str
    officers: int = 0
    in_date: int = 0
    per_course: dict = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return self.in_date / self.officers if self.officers else None

    @property
    def percent(self) -> str:
        return "–" if self.share is None else f"{round(self.share * 100)}%"


def operational_officers(force):
    from django.db.models import Q

    q = Q()
    for role in courses.OPERATIONAL_ROLES:
        q |= Q(membership__roles__contains=[role])
    return (
        force_officers(force)
        .filter(q)
        .select_related("membership__npu")
        .order_by("display_name", "username")
    )


def coverage(force, today=None) -> dict:
    """Share of operational officers in date with every course they need, per NPU and per
    function (role), with in-date counts per course. Two queries whatever the numbers."""
    today = today or timezone.localdate()
    officers = list(operational_officers(force))
    latest = latest_records([u.pk for u in officers])
    from accounts.roles import Role

    total = CoverageRow("all", _("All operational officers"))
    npus: dict = {}
    functions = {str(r): CoverageRow(str(r), str(Role(r).label)) for r in courses.OPERATIONAL_ROLES}
    for user in officers:
        roles = set(user.membership.roles)
        ok = is_in_date(user.pk, roles, latest, today)
        npu = user.membership.npu
        npu_key = npu.code if npu else ""
        if npu_key not in npus:
            npus[npu_key] = CoverageRow(npu_key, str(npu) if npu else _("No NPU recorded"))
        rows = [total, npus[npu_key]] + [functions[r] for r in roles if r in functions]
        for row in rows:
            row.officers += 1
            row.in_date += ok
            for c in courses.Course.values:
                if _state(latest.get((user.pk, c)), today) in ("in_date", "due_soon"):
                    row.per_course[c] = row.per_course.get(c, 0) + 1
    return {
        "total": total,
        "npus": sorted(npus.values(), key=lambda r: (r.key == "", r.key)),
        "functions": list(functions.values()),
        "officers": officers,
        "latest": latest,
    }
