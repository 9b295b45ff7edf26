"""Synthetic volumes for the dashboards and their benchmark (see demo/synthetic.py)."""

import datetime as dt
import os
import re
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import Organisation
from accounts.services import ensure_organisation
from core.actor import acting_as, command_actor
from demo import loaders
from demo.synthetic import BULK_TABLES, Volumes, analyze_tables
from reporting import summary

# Filled by triggers during the load and by the refresh; vacuumed so that the figures' index-only
# scans need no heap visits, analysed so that the planner knows their sizes.
SUMMARY_TABLES = [
    "reporting_incidentday",
    "reporting_incidentmonth",
    "reporting_detentionfact",
    "reporting_detentionmonth",
    "reporting_detentionminutes",
    "reporting_personincident",
    "reporting_persontotal",
    "reporting_locationtotal",
    "reporting_staleday",
    "reporting_staledetention",
]
# The forces after the first (`--forces`): synthetic neighbours of the demo force, four NPUs each.
NEIGHBOUR_NPUS = [("NPU-1", "North"), ("NPU-2", "Central"), ("NPU-3", "South"), ("NPU-4", "East")]


def shares(n: int) -> list[float]:
    """Each force's share of the volumes: n, n-1, ..., 1 parts (the first force, the one the
    benchmarks sign in to, is the largest: 40% of the data with four forces)."""
    total = n * (n + 1) / 2
    return [(n - k) / total for k in range(n)]


def split(total: int, parts: list[float]) -> list[int]:
    """`total` in whole parts proportional to `parts`, summing exactly to `total`."""
    out = [int(total * p) for p in parts]
    out[0] += total - sum(out)
    return out


# Secondary indexes of the tables that grow with the load: no primary key, no unique index
# (uniqueness is checked as rows arrive) and none behind a constraint.
SECONDARY_INDEXES_SQL = """
    SELECT c.relname, pg_get_indexdef(i.indexrelid)
      FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid
     WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = i.indexrelid)
     ORDER BY c.relname
"""
# Below this many incidents the indexes are kept (rebuilding them costs more than it saves).
REBUILD_INDEXES_FROM = 200_000


def drop_secondary_indexes() -> list[tuple[str, str]]:
    """Drops the growing tables' secondary indexes; returns (name, definition) to rebuild.
    Maintaining them row by row is what made batch time grow with the tables (random inserts
    into indexes larger than the buffer cache); built once at the end they cost a sort each."""
    with connection.cursor() as cursor:
        cursor.execute(SECONDARY_INDEXES_SQL, [BULK_TABLES])
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return found


# Per session of the index builds and vacuums (`--jobs` at once; the server's own settings are
# left alone): at the server's default (64MB) a build sorts in many runs in temporary files; a
# covering index over 2M incidents built in 12 s rather than 16 s with 1GB.
MAINTENANCE_WORK_MEM = "1GB"


def _run_alone(statement):
    """One statement on a connection of its own (run from a thread pool), closed after."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            cursor.execute(statement)
    finally:
        connection.close()


def run_in_parallel(statements, jobs):
    """Runs `statements` (index builds, vacuums) `jobs` at a time, in the order given."""
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        list(pool.map(_run_alone, statements))


TABLE_OF_INDEX = re.compile(r" ON (?:ONLY )?(\S+) USING ")


def largest_first(definitions: list[str]) -> list[str]:
    """Index definitions, those on the largest tables first (the builds running at once then
    finish together rather than one long build left alone at the end)."""
    tables = sorted({m.group(1) for d in definitions if (m := TABLE_OF_INDEX.search(d))})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t, pg_relation_size(t::regclass) FROM unnest(%s::text[]) AS t", [tables]
        )
        size = dict(cursor.fetchall())

    def key(d):
        m = TABLE_OF_INDEX.search(d)
        return -size.get(m.group(1), 0) if m else 0

    return sorted(definitions, key=key)


def rebuild_indexes(found, jobs):
    """Builds the dropped indexes again, `jobs` at a time, the largest tables' first."""
    run_in_parallel(
        largest_first(
            [d.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1) for _name, d in found]
        ),
        jobs,
    )


class Command(BaseCommand):
    help = (
        "Bulk-load realistic incidents and s136 detentions (default 1,000,000 and 60,000 over "
        "ten years) for one force or several, with history rows and rule-engine deadlines. For "
        "benchmarks and demos; never on a live database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, default=1_000_000)
        parser.add_argument("--detentions", type=int, default=60_000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--force", default="midshire-police", help="the (first) force's slug")
        parser.add_argument(
            "--forces",
            type=int,
            default=1,
            help="spread the volumes over this many forces (the first one largest; the others "
            "are created as synthetic neighbours sharing the places of safety)",
        )
        parser.add_argument(
            "--jobs", type=int, default=1, help="loader processes running at once (one per core)"
        )
        parser.add_argument("--seed", type=int, default=136)
        parser.add_argument("--batch", type=int, default=50_000)
        parser.add_argument("--no-analyze", action="store_true")
        parser.add_argument(
            "--indexes",
            choices=["auto", "rebuild", "keep"],
            default="auto",
            help="rebuild: drop the growing tables' secondary indexes during the load and build "
            f"them once at the end (auto: from {REBUILD_INDEXES_FROM:,} incidents); keep: "
            "maintain them row by row",
        )

    def handle(self, *args, **o):
        if o["detentions"] > o["incidents"]:
            raise CommandError("--detentions cannot exceed --incidents (each has its incident)")
        if o["forces"] < 1 or o["jobs"] < 1:
            raise CommandError("--forces and --jobs must be at least 1")
        force = Organisation.objects.filter(slug=o["force"], kind="police_force").first()
        if force is None:
            raise CommandError(f"No police force {o['force']!r}: run `manage.py seed_demo` first")
        from places_of_safety.models import PlaceOfSafety

        if not PlaceOfSafety.objects.filter(active=True).exists():
            raise CommandError("No places of safety: run `manage.py seed_demo` first")
        started = time.monotonic()

        def log(msg):
            load = os.getloadavg()[0]
            self.stdout.write(f"[{time.monotonic() - started:6.1f} s] {msg} (load {load:.2f})")

        forces = [force]
        with acting_as(command_actor("generate_synthetic")):
            for k in range(2, o["forces"] + 1):
                neighbour, _ = ensure_organisation(
                    f"synthetic-force-{k}", f"Synthetic Force {k}", "police_force", NEIGHBOUR_NPUS
                )
                forces.append(neighbour)
        parts = shares(len(forces))
        incidents, detentions = split(o["incidents"], parts), split(o["detentions"], parts)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        specs = [
            loaders.Force(
                f.pk,
                Volumes(incidents[k], detentions[k], o["years"]),
                o["seed"] + k,
                o["batch"],
                now,
            )
            for k, f in enumerate(forces)
        ]
        for k, f in enumerate(forces):
            log(f"{f.slug}: {incidents[k]:,} incidents, {detentions[k]:,} detentions")
        rebuild = o["indexes"] == "rebuild" or (
            o["indexes"] == "auto" and o["incidents"] >= REBUILD_INDEXES_FROM
        )
        dropped = drop_secondary_indexes() if rebuild else []
        if dropped:
            log(f"{len(dropped)} secondary indexes dropped until the end of the load:")
            for _name, definition in dropped:
                self.stdout.write(f"  {definition};")
        try:
            if o["jobs"] == 1:
                counts = loaders.load(specs, started)
            else:
                with ProcessPoolExecutor(
                    o["jobs"],
                    mp_context=get_context("spawn"),
                    initializer=loaders.start,
                    initargs=(
                        settings.SETTINGS_MODULE,
                        dict(connection.settings_dict),
                    ),
                ) as pool:
                    counts = loaders.load_in_pool(pool, specs, started, o["jobs"])
            log("loaded")
        finally:
            if dropped:
                rebuild_indexes(dropped, o["jobs"])
                log(f"{len(dropped)} secondary indexes built")
        if not o["no_analyze"]:
            run_in_parallel([f"VACUUM ANALYZE {t}" for t in analyze_tables()], o["jobs"])
            log("vacuum analyze done")
        # The triggers marked every loaded day stale; build their summaries now rather than
        # leave it to the beat task (the dashboards are exact either way, only slower).
        # Large batches: each rebuilds the months its detentions fall in (bulk load, no readers).
        rebuilt = summary.refresh(detention_batch=50_000)
        log(f"summaries: {rebuilt:,} stale days and detentions rebuilt")
        if not o["no_analyze"]:
            run_in_parallel([f"VACUUM ANALYZE {t}" for t in SUMMARY_TABLES], o["jobs"])
            log("summaries: vacuum analyze done")
        total = sum(counts.values())
        log(f"done: {total:,} rows (history included) in {len(counts)} tables")
        for table, n in sorted(counts.items()):
            self.stdout.write(f"  {table}: {n:,}")
