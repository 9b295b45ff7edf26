"""The processes of `generate_synthetic --jobs`: spawned, not forked (a fork copies whatever
locks other threads of the parent hold: in a test run, with browser and server threads about, a
forked loader waited for ever). Nothing here imports a model before `start` has set Django up,
since a spawned process imports this module to find its functions.

The work comes as tasks, handed out as they become possible and never two of one force at once
(`load_in_pool`): a force's `head` (its people, its detentions and their incidents), then its
incidents in parts (`part`) once its people exist. Each task is a few batches, so the loaders
finish together."""

import os
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Force:
    """One force's share of the load (picklable: sent to the loader processes)."""

    force_id: int
    volumes: object  # demo.synthetic.Volumes
    seed: int
    batch: int
    now: object  # datetime: one for the whole load


def start(settings_module: str, database: dict) -> None:
    """Sets Django up in the new process, on the parent's database (a test database included)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict.update(database)


def _generator(spec: Force, started):
    from accounts.models import Organisation
    from demo.synthetic import Generator

    force = Organisation.objects.get(pk=spec.force_id)

    def log(msg, slug=force.slug):
        load = os.getloadavg()[0]
        print(f"[{time.monotonic() - started:6.1f} s] {slug}: {msg} (load {load:.2f})", flush=True)

    return Generator(
        force=force, volumes=spec.volumes, now=spec.now, seed=spec.seed, batch=spec.batch, log=log
    )


def head(spec: Force, started):
    """A force's people and detentions; returns (its people's (first id, count), row counts)."""
    from core.actor import acting_as, command_actor

    with acting_as(command_actor("generate_synthetic")):
        generator = _generator(spec, started)
        people = generator.head()
    return people, generator.loader.counts


def part(spec: Force, started, number: int, start: int, end: int, people: tuple[int, int]):
    """Incidents `start` to `end` of a force's (after its head); returns row counts."""
    from core.actor import acting_as, command_actor

    with acting_as(command_actor("generate_synthetic")):
        generator = _generator(spec, started)
        generator.incident_part(number, start, end, people)
    return generator.loader.counts


def parts(spec: Force) -> list[tuple[int, int, int]]:
    """(number, start, end) of a force's incident parts."""
    from demo.synthetic import incident_parts

    remaining = max(0, spec.volumes.incidents - spec.volumes.detentions)
    return [(k, lo, hi) for k, (lo, hi) in enumerate(incident_parts(remaining, spec.batch))]


def add(counts: dict[str, int], more: dict[str, int]) -> None:
    for table, n in more.items():
        counts[table] = counts.get(table, 0) + n


def load(specs: list[Force], started) -> dict[str, int]:
    """Every task in this process, one after another (`--jobs 1`)."""
    counts: dict[str, int] = {}
    for spec in specs:
        people, more = head(spec, started)
        add(counts, more)
        for number, lo, hi in parts(spec):
            add(counts, part(spec, started, number, lo, hi, people))
    return counts


def load_in_pool(pool, specs: list[Force], started, jobs: int) -> dict[str, int]:
    """The tasks on a process pool of `jobs` loaders: a force's head, then its incident parts,
    in order. Two loaders never work on the same force at once: its rows share people,
    locations and days, whose totals and stale-day rows the triggers upsert, so a second loader
    of the same force would wait on the first's row locks until it commits (a 10M load ran at
    about one loader's speed so). Each free loader takes the next task of the force with the
    most work left that no loader has, so the forces finish together and only the last part
    of the last force runs alone. Returns row counts."""
    from concurrent.futures import FIRST_COMPLETED, wait

    counts: dict[str, int] = {}
    # By force id (a `Force` holds its volumes, which do not hash).
    todo: dict[int, list] = {spec.force_id: [("head",)] for spec in specs}
    left = {spec.force_id: spec.volumes.incidents for spec in specs}
    people: dict[int, tuple[int, int]] = {}
    running: dict = {}  # future -> (force, task)

    def submit():
        while len(running) < jobs:
            busy = {spec.force_id for spec, _task in running.values()}
            free = [s for s in specs if todo[s.force_id] and s.force_id not in busy]
            if not free:
                return
            spec = max(free, key=lambda s: left[s.force_id])
            task = todo[spec.force_id].pop(0)
            if task[0] == "head":
                future = pool.submit(head, spec, started)
            else:
                _part, number, lo, hi = task
                future = pool.submit(part, spec, started, number, lo, hi, people[spec.force_id])
            running[future] = (spec, task)

    try:
        submit()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                spec, task = running.pop(future)
                result = future.result()
                if task[0] == "head":
                    people[spec.force_id], more = result
                    todo[spec.force_id] = [("part", *p) for p in parts(spec)]
                    left[spec.force_id] -= spec.volumes.detentions
                else:
                    more = result
                    left[spec.force_id] -= task[3] - task[2]
                add(counts, more)
            submit()
    except BaseException:
        for future in running:  # a failed task: load nothing more
            future.cancel()
        raise
    return counts
