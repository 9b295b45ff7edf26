"""The Celery app. Every task carries who caused it and runs as a named system actor."""

import logging
import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun
from celery.worker.consumer import Consumer as CeleryConsumer

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


log = logging.getLogger(__name__)


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
                    log.warning(
                        "Closing the lost broker connection failed (%r); reconnecting anyway.",
                        error,
                    )

            connection.close = close_detached
        super().on_connection_error_after_connected(exc)
