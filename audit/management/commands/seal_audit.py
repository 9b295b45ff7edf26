"""Seal every settled history and access-log row now (what the `audit-seal` beat task does
30 s at a time), e.g. after a bulk load or a migration that wrote millions of history rows, so
that the worker does not spend the next hours catching up."""

import time

from django.core.management.base import BaseCommand

from audit import sealing


class Command(BaseCommand):
    help = "Seal every settled history and access-log row into the audit chain now."

    def handle(self, *args, **options):
        started = time.monotonic()
        seals = rows = 0
        while made := sealing.seal_pending(max_seals=100):
            seals += len(made)
            rows += sum(seal.row_count for seal in made)
            self.stdout.write(
                f"[{time.monotonic() - started:6.1f} s] {seals:,} seals, {rows:,} rows sealed"
            )
            if not made[-1].rows.get("_truncated"):
                break
        self.stdout.write(
            f"done: {seals:,} seals, {rows:,} rows, {time.monotonic() - started:.1f} s"
        )
