from celery import shared_task

from . import services


@shared_task(name=services.RUN_EXPORT_TASK, ignore_result=True, acks_late=True)
def run_export(export_id: int):
    """Builds one requested CSV export (reporting.services.build_export), if it is still queued:
    the export is claimed (queued -> running) so a message queued twice builds it once."""
    from .models import Export, ExportStatus

    if not Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    ):
        return
    services.build_export(export_id)


@shared_task(name="reporting.tasks.run_queued_exports", ignore_result=True)
def run_queued_exports(older_than_seconds: int = 60) -> int:
    """Beat sweep: queues again the exports still queued after a minute (their message was lost,
    e.g. requested while the broker was down). The export row is the truth."""
    from datetime import timedelta

    from django.utils import timezone

    from core.queue import enqueue

    from .models import Export, ExportStatus

    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Export.objects.filter(status=ExportStatus.QUEUED, created_at__lte=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )
    for pk in ids:
        enqueue(services.RUN_EXPORT_TASK, pk)
    return len(ids)


@shared_task(name="reporting.tasks.refresh_summaries", ignore_result=True)
def refresh_summaries(time_limit: float = 50.0):
    """Rebuilds the daily incident summaries of days changed since the last run (beat, every
    minute). Stops after `time_limit` seconds; the next run carries on where it left off."""
    from .summary import refresh

    return refresh(time_limit=time_limit)
