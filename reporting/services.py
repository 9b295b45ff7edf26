"""Changes in reporting: population figures for the demo, and exports (requested by a user,
built by a Celery task). The one door for every write in this app."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from accounts.principal import principal_for_actor
from core import csv
from core.queue import enqueue_on_commit

from . import policy
from .models import Export, ExportKind, ExportStatus, PopulationFigure

# The task that builds one export (reporting.tasks registers under this name; this module
# queues it by name and never imports the task module).
RUN_EXPORT_TASK = "reporting.tasks.run_export"


def set_population(*, organisation, group, population, source_year, source="") -> PopulationFigure:
    figure, _created = PopulationFigure.objects.update_or_create(
        organisation=organisation,
        group=group,
        defaults={"population": population, "source_year": source_year, "source": source},
    )
    return figure


def request_export(*, user, organisation_id, kind, params) -> Export:
    """Records the export and queues its task (`RUN_EXPORT_TASK`) once the row is committed."""
    with transaction.atomic():
        export = Export.objects.create(
            organisation_id=organisation_id, owner=user, kind=kind, params=params
        )
        enqueue_on_commit(RUN_EXPORT_TASK, [(export.pk,)])
    return export


INCIDENT_COLUMNS = [
    ("reference", "reference"),
    ("occurred_at", "occurred_at"),
    ("npu", "npu__code"),
    ("category", "category"),
    ("rcrp_threshold", "rcrp_threshold"),
    ("rcrp_passed_to", "rcrp_passed_to"),
    ("healthcare_setting", "healthcare_setting"),
    ("outcome", "outcome"),
    # References to other systems (added after the original columns: readers keep working).
    ("cad_number", "cad_number"),
    ("rms_reference", "rms_reference"),
]
DETENTION_COLUMNS = [
    ("reference", "reference"),
    ("detained_at", "detained_at"),
    ("npu", "npu__code"),
    ("first_place_of_safety", "arrival__place__kind"),
    ("arrived_at", "arrival__arrived_at"),
    ("conveyance_mode", "conveyance_mode"),
    ("conveyance_reason", "conveyance_reason"),
    ("assessment_started_at", "assessment__started_at"),
    ("handed_over_at", "handover__handed_over_at"),
    ("expires_at", "expires_at"),
    ("ended_at", "ended_at"),
    ("outcome", "outcome"),
    ("custody_record_number", "custody_record_number"),
    ("cad_number", "cad_number"),
]


def _queryset(export: Export):
    from accounts.models import NPU

    from . import queries

    p = export.params
    npu_id = None
    if p.get("npu"):
        npu = NPU.objects.filter(force_id=export.organisation_id, code=p["npu"]).first()
        npu_id = npu.pk if npu else -1
    scope = queries.Scope(
        organisation_id=export.organisation_id,
        date_from=dt.date.fromisoformat(p["date_from"]),
        date_to=dt.date.fromisoformat(p["date_to"]),
        npu_id=npu_id,
        category=p.get("category") or None,
    )
    if export.kind == ExportKind.INCIDENTS:
        return queries.incidents(scope).order_by("occurred_at", "pk"), INCIDENT_COLUMNS
    return queries.detentions(scope).order_by("detained_at", "pk"), DETENTION_COLUMNS


def _cell(value):
    if hasattr(value, "astimezone"):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return "" if value is None else value


def build_export(export_id: int) -> Export:
    """Writes the CSV (streamed from a server-side cursor), recording progress as it goes."""
    export = Export.objects.get(pk=export_id)
    if export.status == ExportStatus.DONE:
        return export
    export.status = ExportStatus.RUNNING
    export.save(update_fields=["status"])
    requester = principal_for_actor({"user_id": export.owner_id})
    if not policy.may_build(requester, export):
        export.status = ExportStatus.FAILED
        export.error = "The requester may no longer read this organisation's reports."
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        return export
    try:
        qs, columns = _queryset(export)
        total = qs.count()
        Export.objects.filter(pk=export.pk).update(total_rows=total, rows_written=0)
        every = int(settings.HARBOUR.get("EXPORT_PROGRESS_EVERY", 5000))
        buffer = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        writer = csv.writer(buffer)
        writer.writerow([name for name, _path in columns])
        written = 0
        for row in qs.values_list(*[path for _name, path in columns]).iterator(chunk_size=5000):
            writer.writerow([_cell(v) for v in row])
            written += 1
            if written % every == 0:
                Export.objects.filter(pk=export.pk).update(rows_written=written)
        export.refresh_from_db()
        buffer.seek(0)
        with buffer:
            export.file.save(
                f"{export.kind}-{export.params['date_from']}-{export.params['date_to']}.csv",
                File(buffer),
                save=False,
            )
        export.rows_written = written
        export.status = ExportStatus.DONE
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "rows_written", "status", "finished_at", "total_rows"])
    except Exception as exc:
        export.status = ExportStatus.FAILED
        export.error = str(exc)[:500]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        raise
    return export
