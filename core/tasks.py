from celery import shared_task

from .health import record_heartbeat


@shared_task(name="core.tasks.heartbeat", ignore_result=True)
def heartbeat():
    """Beat triggers this every 15 s; /healthz reports a worker down when it goes stale."""
    record_heartbeat()


@shared_task(name="core.tasks.purge_idempotency_records")
def purge_idempotency_records(max_age_hours: int = 24) -> int:
    """Idempotency-Key replays are honoured for a day; older records are deleted."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import IdempotencyRecord

    cutoff = timezone.now() - timedelta(hours=max_age_hours)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
