from celery import shared_task


@shared_task(name="reporting.tasks.run_export", ignore_result=True, acks_late=True)
def run_export(export_id: int):
    """Builds one requested CSV export (reporting.services.build_export)."""
    from .services import build_export

    build_export(export_id)
