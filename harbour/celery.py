"""The Celery app. Every task carries who caused it and runs as a named system actor."""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

from core.actor import current_actor, reset_actor, set_actor, system_actor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.dev")

app = Celery("harbour")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_tokens: dict[str, object] = {}


@before_task_publish.connect
def _carry_actor(headers=None, **kwargs):
    actor = current_actor()
    if headers is not None and actor is not None:
        headers["harbour_actor"] = actor.as_header()


@task_prerun.connect
def _act_as_system(task_id=None, task=None, **kwargs):
    cause = task.request.get("harbour_actor") if task is not None else None
    _tokens[task_id] = set_actor(system_actor(task.name, cause))


@task_postrun.connect
def _stop_acting(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None)
    if token is not None:
        reset_actor(token)
