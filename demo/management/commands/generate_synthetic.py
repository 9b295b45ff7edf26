"""Synthetic volumes for the dashboards and their benchmark (see demo/synthetic.py)."""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import Organisation
from core.actor import acting_as, command_actor
from demo.synthetic import Generator, Volumes, analyze
from reporting import summary

# Filled by triggers during the load and by the refresh; vacuumed so that the figures' index-only
# scans need no heap visits, analysed so that the planner knows their sizes.
SUMMARY_TABLES = [
    "reporting_incidentday",
    "reporting_incidentmonth",
    "reporting_detentionfact",
    "reporting_personincident",
    "reporting_persontotal",
    "reporting_locationtotal",
    "reporting_staleday",
    "reporting_staledetention",
]


class Command(BaseCommand):
    help = (
        "Bulk-load realistic incidents and s136 detentions (default 1,000,000 and 60,000 over "
        "ten years) for a force, with history rows and rule-engine deadlines. For benchmarks and "
        "demos; never on a live database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--incidents", type=int, default=1_000_000)
        parser.add_argument("--detentions", type=int, default=60_000)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--force", default="midshire-police", help="the force's slug")
        parser.add_argument("--seed", type=int, default=136)
        parser.add_argument("--batch", type=int, default=50_000)
        parser.add_argument("--no-analyze", action="store_true")

    def handle(self, *args, **o):
        if o["detentions"] > o["incidents"]:
            raise CommandError("--detentions cannot exceed --incidents (each has its incident)")
        force = Organisation.objects.filter(slug=o["force"], kind="police_force").first()
        if force is None:
            raise CommandError(f"No police force {o['force']!r}: run `manage.py seed_demo` first")
        started = time.monotonic()

        def log(msg):
            load = os.getloadavg()[0]
            self.stdout.write(f"[{time.monotonic() - started:6.1f} s] {msg} (load {load:.2f})")

        with acting_as(command_actor("generate_synthetic")):
            generator = Generator(
                force=force,
                volumes=Volumes(o["incidents"], o["detentions"], o["years"]),
                seed=o["seed"],
                batch=o["batch"],
                log=log,
            )
            if not any(generator.places.values()):
                raise CommandError("No places of safety: run `manage.py seed_demo` first")
            counts = generator.run()
        if not o["no_analyze"]:
            analyze()
            log("vacuum analyze done")
        # The triggers marked every loaded day stale; build their summaries now rather than
        # leave it to the beat task (the dashboards are exact either way, only slower).
        rebuilt = summary.refresh()
        log(f"summaries: {rebuilt:,} stale days and detentions rebuilt")
        if not o["no_analyze"]:
            with connection.cursor() as cursor:
                for table in SUMMARY_TABLES:
                    cursor.execute(f"VACUUM ANALYZE {table}")
            log("summaries: vacuum analyze done")
        total = sum(counts.values())
        log(f"done: {total:,} rows (history included) in {len(counts)} tables")
        for table, n in sorted(counts.items()):
            self.stdout.write(f"  {table}: {n:,}")
