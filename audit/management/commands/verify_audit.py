"""`manage.py verify_audit`: re-computes the audit hash chain; exit status 1 names the first problem."""

from django.core.management.base import BaseCommand, CommandError

from audit import sealing


class Command(BaseCommand):
    help = (
        "Re-computes the hash chain over history and the access log and names the first row "
        "that was altered, deleted or inserted out of order."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seal-first",
            action="store_true",
            help="Seal settled rows before verifying (as the beat task would).",
        )
        parser.add_argument(
            "--limit", type=int, default=20, help="How many further problems to list."
        )

    def handle(self, *args, seal_first=False, limit=20, **options):
        if seal_first:
            from core.actor import acting_as, command_actor

            with acting_as(command_actor("verify_audit")):
                sealing.seal_pending()
        report = sealing.verify()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit chain intact: {report.seals} seals cover {report.rows} rows; "
                    f"{report.unsealed} rows not sealed yet; last hash {report.last_hash}."
                )
            )
            return
        first = report.problems[0]
        self.stderr.write(f"First problem: {first}")
        for problem in report.problems[1 : 1 + limit]:
            self.stderr.write(f"  also: {problem}")
        more = len(report.problems) - 1 - limit
        if more > 0:
            self.stderr.write(f"  and {more} more.")
        raise CommandError(
            f"Audit chain broken: {len(report.problems)} problem(s) in {report.seals} seals. "
            f"First: {first}"
        )
