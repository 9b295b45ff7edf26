"""The Celery app. Every task carries who caused it and runs as a named system actor, with the
request id of the request that queued it (core/requestid.py) on its log lines."""

import logging
import os
import time
from pathlib import Path

from celery import Celery
from celery.beat import PersistentScheduler
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun
from celery.worker.consumer import Consumer as CeleryConsumer

from core import requestid
from core.actor import current_actor, reset_actor, set_actor, system_actor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.dev")

app = Celery("harbour")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_tokens: dict[str, object] = {}
log = logging.getLogger("harbour.tasks")


@setup_logging.connect
def _django_logging(**kwargs):
    """Workers and beat log with Django's LOGGING (JSON in production, with request ids)
    instead of Celery's own format."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@before_task_publish.connect
def _carry_actor(headers=None, **kwargs):
    if headers is None:
        return
    actor = current_actor()
    if actor is not None:
        headers["harbour_actor"] = actor.as_header()
    rid = requestid.current_request_id()
    if rid:
        headers[requestid.TASK_HEADER] = rid


@task_prerun.connect
def _act_as_system(task_id=None, task=None, **kwargs):
    cause = task.request.get("harbour_actor") if task is not None else None
    # The request that queued the task, or (scheduled by beat) the task's own id.
    rid = (task.request.get(requestid.TASK_HEADER) if task is not None else None) or task_id
    actor = system_actor(task.name, cause)
    _tokens[task_id] = (set_actor(actor), requestid.set_request_id(rid or ""))
    # Who acts and why, with the request id: the link from a history row (changed_by,
    # triggered_by) to the request that caused the task.
    log.info(
        "task %s started as %s (triggered by %s)",
        task.name,
        actor.label,
        actor.triggered_by,
        extra={"task_id": task_id, "actor": actor.label, "triggered_by": actor.triggered_by},
    )


@task_postrun.connect
def _stop_acting(task_id=None, **kwargs):
    tokens = _tokens.pop(task_id, None)
    if tokens is not None:
        reset_actor(tokens[0])
        requestid.reset_request_id(tokens[1])


BEAT_ALIVE_FILE = Path(os.environ.get("CELERY_BEAT_ALIVE_FILE", "/tmp/celerybeat.alive"))


class Scheduler(PersistentScheduler):
    """Celery's persistent scheduler that touches BEAT_ALIVE_FILE on every tick, so a container
    healthcheck can tell a beat that is scheduling from one that is stuck (`--scheduler
    harbour.celery:Scheduler`; the compose file and the Kubernetes manifests check the file's age)."""

    def tick(self, *args, **kwargs):
        now = time.time()
        try:
            BEAT_ALIVE_FILE.touch()
            os.utime(BEAT_ALIVE_FILE, (now, now))
        except OSError:
            pass
        return super().tick(*args, **kwargs)


consumer_log = logging.getLogger(__name__)


class Consumer(CeleryConsumer):
    """Celery's worker consumer, surviving a broker (Redis) restart.

    On a lost connection Celery 5.7 collects the connection (which detaches kombu's transport
    from it) and then closes it; closing the channel tries to restore the unacknowledged
    messages through the detached transport and raises `AttributeError: 'NoneType' object has
    no attribute 'hostname'` ("Restoring N unacknowledged message(s)"), which `ignore_errors`
    does not ignore: the worker stopped with "Unrecoverable error". That close is made best
    effort here, so the consumer goes on to reconnect. Nothing is lost that Harbour relies on:
    the messages stay in Redis's unacked set (restored after the visibility timeout) if Redis
    kept them, and every task is re-queued from the database by a beat sweep anyway.
    Installed with `CELERY_WORKER_CONSUMER = "harbour.celery:Consumer"`;
    tests/faults/test_broker_restart.py reproduces the crash."""

    def on_connection_error_after_connected(self, exc):
        connection = self.connection
        if connection is not None:
            close = connection.close

            def close_detached():
                try:
                    close()
                except AttributeError as error:
                    consumer_log.warning(
                        "Closing the lost broker connection failed (%r); reconnecting anyway.",
                        error,
                    )

            connection.close = close_detached
        super().on_connection_error_after_connected(exc)
