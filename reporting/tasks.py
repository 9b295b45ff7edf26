from celery import shared_task

from . import services


@shared_task(name=services.RUN_EXPORT_TASK, ignore_result=True, acks_late=True)
def run_export(export_id: int):
    """Builds one requested CSV export (reporting.services.build_export)."""
    services.build_export(export_id)


@shared_task(name="reporting.tasks.refresh_summaries", ignore_result=True)
def refresh_summaries(time_limit: float = 50.0):
    """Rebuilds the daily incident summaries of days changed since the last run (beat, every
    minute). Stops after `time_limit` seconds; the next run carries on where it left off."""
    from .summary import refresh

    return refresh(time_limit=time_limit)
