"""The processes of `generate_synthetic --jobs`: spawned, not forked (a fork copies whatever
locks other threads of the parent hold: in a test run, with browser and server threads about, a
forked loader waited for ever). Nothing here imports a model before `start` has set Django up,
since a spawned process imports this module to find its functions."""

import os
import time


def start(settings_module: str, database: dict) -> None:
    """Sets Django up in the new process, on the parent's database (a test database included)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict.update(database)


def load(plan, started):
    """One loader's forces, one after another (in the command's own process when --jobs is 1)."""
    from accounts.models import Organisation
    from core.actor import acting_as, command_actor
    from demo.synthetic import Generator

    counts: dict[str, int] = {}
    with acting_as(command_actor("generate_synthetic")):
        for force_id, volumes, seed, batch in plan:
            force = Organisation.objects.get(pk=force_id)

            def log(msg, slug=force.slug):
                load = os.getloadavg()[0]
                print(
                    f"[{time.monotonic() - started:6.1f} s] {slug}: {msg} (load {load:.2f})",
                    flush=True,
                )

            generator = Generator(force=force, volumes=volumes, seed=seed, batch=batch, log=log)
            for table, n in generator.run().items():
                counts[table] = counts.get(table, 0) + n
    return counts


def run(plan, started):
    """`load` in a spawned loader process."""
    from django.db import connections

    try:
        return load(plan, started)
    finally:
        connections.close_all()
