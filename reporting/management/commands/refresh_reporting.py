"""Rebuilds the reporting summaries now (the beat task does it every minute).

`--all` first marks every day with incidents and every detention stale, for after a restore
from an older backup or any doubt about the summaries: the dashboards stay exact meanwhile
(stale rows are counted live), only slower until the rebuild ends."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core.actor import acting_as, command_actor
from reporting import summary

MARK_ALL = [
    "INSERT INTO reporting_staleday (organisation_id, day, marked_at) "
    "SELECT DISTINCT organisation_id, (occurred_at AT TIME ZONE 'Europe/London')::date, now() "
    "FROM incidents_incident ON CONFLICT (organisation_id, day) DO UPDATE "
    "SET marked_at = EXCLUDED.marked_at",
    "INSERT INTO reporting_staledetention (detention_id, marked_at) "
    "SELECT id, now() FROM incidents_detention ON CONFLICT (detention_id) DO UPDATE "
    "SET marked_at = EXCLUDED.marked_at",
]


class Command(BaseCommand):
    help = "Rebuild the reporting summaries now (--all: every day and detention)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="mark everything stale first")

    def handle(self, *args, **options):
        started = time.monotonic()
        with acting_as(command_actor("refresh_reporting")):
            if options["all"]:
                with transaction.atomic(), connection.cursor() as cursor:
                    for sql in MARK_ALL:
                        cursor.execute(sql)
            rebuilt = summary.refresh()
        self.stdout.write(
            f"{rebuilt:,} stale days and detentions rebuilt in {time.monotonic() - started:.1f} s"
        )
