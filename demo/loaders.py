"""The processes of `generate_synthetic --jobs`: spawned, not forked (a fork copies whatever
locks other threads of the parent hold: in a test run, with browser and server threads about, a
forked loader waited for ever). Nothing here imports a model before `start` has set Django up,
since a spawned process imports this module to find its functions."""

import os


def start(settings_module: str, database: dict) -> None:
    """Sets Django up in the new process, on the parent's database (a test database included)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict.update(database)


def run(plan, started):
    from django.db import connections

    from demo.management.commands.generate_synthetic import _load

    try:
        return _load(plan, started)
    finally:
        connections.close_all()
