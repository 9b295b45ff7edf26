"""manage.py import_training FILE --force <slug>: import a learning-system CSV export."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from core.actor import acting_as, command_actor
from training.services import import_training


class Command(BaseCommand):
    help = "Import training completions (collar_number, course_code, completed_on) for a force."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file exported by the learning system")
        parser.add_argument(
            "--force",
            dest="force_slug",
            default="",
            help="The police force's slug (optional when there is only one force)",
        )

    def handle(self, *args, file, force_slug, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        forces = Organisation.objects.filter(kind="police_force", active=True)
        if force_slug:
            forces = forces.filter(slug=force_slug)
        forces = list(forces[:2])
        if len(forces) != 1:
            raise CommandError("Name the police force with --force <slug>")
        with acting_as(command_actor("import_training")):
            report = import_training(force=forces[0], data=path.read_bytes())
        if report.file_errors:
            raise CommandError("; ".join(report.file_errors))
        self.stdout.write(f"Imported {len(report.imported)} row(s) for {forces[0]}.")
        if report.refused:
            self.stdout.write(f"Refused {len(report.refused)} row(s):")
            for r in report.refused:
                self.stdout.write(
                    f"  line {r.line}: {r.collar_number},{r.course_code},{r.completed_on}: "
                    + "; ".join(str(x) for x in r.reasons)
                )
        else:
            self.stdout.write("No rows refused.")
