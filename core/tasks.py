"""Celery wiring: every task knows who caused it, and acts as a named system actor."""

from celery import shared_task
from celery.signals import before_task_publish, task_postrun, task_prerun

from .actor import current_actor, reset_actor, set_actor, system_actor
from .health import record_heartbeat

_tokens: dict[str, object] = {}


@before_task_publish.connect
def _carry_actor(headers=None, **kwargs):
    actor = current_actor()
    if headers is not None and actor is not None:
        headers["harbour_actor"] = actor.as_header()


@task_prerun.connect
def _act_as_system(task_id=None, task=None, **kwargs):
    cause = task.request.get("harbour_actor") if task is not None else None
    if cause is None and task is not None:
        cause = (getattr(task.request, "headers", None) or {}).get("harbour_actor")
    _tokens[task_id] = set_actor(system_actor(task.name, cause))


@task_postrun.connect
def _stop_acting(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        reset_actor(token)


@shared_task(name="core.tasks.heartbeat", ignore_result=True)
def heartbeat():
    """Beat triggers this every 15 s; /healthz reports a worker down when it goes stale."""
    record_heartbeat()
