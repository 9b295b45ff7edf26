"""The layers (docs/architecture.md "Layers"): the import contracts in pyproject.toml hold, a
task the domain queues by name is a registered task and carries who caused it, and what core
needs from the apps is installed by them."""

import importlib
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept(monkeypatch, capsys):
    """The same check as `lint-imports` in `make test`: no broken contract, nothing ignored."""
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    code = lint_imports(no_cache=True, no_logo=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 broken" in out
    assert "ignored" not in out.lower()  # no contract leans on ignore_imports


@pytest.mark.parametrize(
    ("module", "constant", "task_module"),
    [
        ("alerts.sweep", "DELIVER_TASK", "alerts.tasks"),
        ("alerts.sweep", "DELIVER_BATCH_TASK", "alerts.tasks"),
        ("partners.webhooks", "DELIVER_TASK", "partners.tasks"),
        ("reporting.services", "RUN_EXPORT_TASK", "reporting.tasks"),
    ],
)
def test_each_task_the_domain_queues_by_name_is_registered(module, constant, task_module):
    from harbour.celery import app

    app.loader.import_default_modules()  # what a worker imports when it starts
    name = getattr(importlib.import_module(module), constant)
    assert name in app.tasks
    assert app.tasks[name].__module__ == task_module


@pytest.mark.django_db
def test_a_task_queued_by_name_carries_who_caused_it(officer):
    from celery.signals import before_task_publish

    from core.actor import acting_as, user_actor
    from core.queue import enqueue

    published = []

    def grab(headers=None, **kwargs):
        published.append(headers)

    before_task_publish.connect(grab, weak=False)
    try:
        with acting_as(user_actor(officer)):
            enqueue("core.tasks.heartbeat")  # harmless on any worker
    finally:
        before_task_publish.disconnect(grab)
    [headers] = published
    assert headers["task"] == "core.tasks.heartbeat"
    assert headers["harbour_actor"]["label"] == "officer"
    assert headers["harbour_actor"]["user_id"] == officer.pk


@pytest.mark.django_db
def test_the_menu_asks_the_accounts_permissions(make_user, force, officer):
    """core.navigation imports no app: accounts installs the permission check (accounts.apps)."""
    from core.navigation import entries_for

    admin = make_user("administrator", force, Role.ADMINISTRATOR)
    docs = reverse("api-docs")
    assert docs in [e["url"] for e in entries_for(admin)]
    assert docs not in [e["url"] for e in entries_for(officer)]
