from django.core.management.base import BaseCommand, CommandError

from accounts.roles import OrganisationKind
from accounts.services import AccountsError, ensure_organisation
from core.actor import acting_as, command_actor


def parse_npus(text: str) -> list[tuple[str, str]]:
    npus = []
    for item in filter(None, (p.strip() for p in (text or "").split(","))):
        code, sep, name = item.partition(":")
        if not sep or not code.strip() or not name.strip():
            raise CommandError(f"NPU {item!r} must be CODE:Name")
        npus.append((code.strip().upper(), name.strip()))
    return npus


class Command(BaseCommand):
    help = "Create or update an organisation (idempotent); --npus adds NPUs to a police force."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=OrganisationKind.values)
        parser.add_argument("--npus", default="", help="CODE:Name,CODE:Name")

    def handle(self, *args, slug, name, kind, npus, **options):
        with acting_as(command_actor("create_organisation")):
            try:
                org, created = ensure_organisation(slug, name, kind, parse_npus(npus))
            except AccountsError as exc:
                raise CommandError(str(exc)) from exc
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} {org.get_kind_display()} {org.name} ({org.slug}) with {org.npus.count()} NPU(s)."
        )
