from celery import shared_task

from .health import record_heartbeat


@shared_task(name="core.tasks.heartbeat", ignore_result=True)
def heartbeat():
    """Beat triggers this every 15 s; /healthz reports a worker down when it goes stale."""
    record_heartbeat()
