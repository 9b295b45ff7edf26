from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import ApiKey


@shared_task(name="accounts.tasks.revoke_expired_api_keys")
def revoke_expired_api_keys() -> int:
    """Marks keys past their expiry (for example the old key after a rotation overlap) revoked.

    Each change is a history row attributed to this task and whoever triggered it.
    """
    revoked = 0
    with transaction.atomic():
        keys = ApiKey.objects.select_for_update(skip_locked=True).filter(
            revoked=False, expiry_date__lte=timezone.now()
        )
        for key in keys:
            key.revoked = True
            key._change_reason = "expired"
            key.save(update_fields=["revoked"])
            revoked += 1
    return revoked
