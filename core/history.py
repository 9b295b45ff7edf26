"""Change history for every model, knowing who acted.

Use `history = HarbourHistory()` on every model. Each history row carries `changed_by`
(username, API key name, or `system:<task>`), `actor_kind`, the API key id, and for tasks
`triggered_by` (the user or key that caused the task).
"""

from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .actor import current_actor


class ActorFields(models.Model):
    changed_by = models.CharField(_("changed by"), max_length=200, blank=True, db_index=True)
    actor_kind = models.CharField(_("actor kind"), max_length=20, blank=True)
    api_key_id = models.CharField(_("API key id"), max_length=150, blank=True)
    triggered_by = models.CharField(_("triggered by"), max_length=200, blank=True)

    class Meta:
        abstract = True


def _history_user(request=None, instance=None, **kwargs):
    actor = current_actor()
    if actor is not None and actor.user_id is not None:
        from django.contrib.auth import get_user_model

        # A reference by id: no query is needed to attribute the row.
        user = get_user_model()(pk=actor.user_id)
        user._state.adding = False
        return user
    return None


def HarbourHistory(**kwargs) -> HistoricalRecords:  # noqa: N802 (reads like a field)
    kwargs.setdefault("bases", [ActorFields])
    kwargs.setdefault("get_user", _history_user)
    kwargs.setdefault("cascade_delete_history", False)
    return HistoricalRecords(**kwargs)


def actor_attrs() -> dict:
    """Fields for bulk_create_with_history(custom_historical_attrs=...)."""
    actor = current_actor()
    if actor is None:
        return {"changed_by": "", "actor_kind": "", "api_key_id": "", "triggered_by": ""}
    return {
        "changed_by": actor.label,
        "actor_kind": actor.kind,
        "api_key_id": actor.api_key_id or "",
        "triggered_by": actor.triggered_by,
    }


@receiver(pre_create_historical_record)
def _stamp_actor(sender, history_instance, **kwargs):
    if not isinstance(history_instance, ActorFields):
        return
    for field, value in actor_attrs().items():
        setattr(history_instance, field, value)
