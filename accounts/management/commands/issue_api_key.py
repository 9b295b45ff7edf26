from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from accounts.services import AccountsError, issue_api_key, parse_scopes
from core.actor import acting_as, command_actor


class Command(BaseCommand):
    help = "Issue an API key for an organisation. The key is printed once, alone on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help="organisation slug")
        parser.add_argument(
            "--scopes", required=True, help="comma-separated, e.g. detentions:read,detentions:write"
        )
        parser.add_argument("--name", required=True, help="a label that names the key in history")

    def handle(self, *args, organisation, scopes, name, **options):
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with slug {organisation!r}.") from None
        try:
            scope_list = parse_scopes(scopes)
        except AccountsError as exc:
            raise CommandError(str(exc)) from exc
        with acting_as(command_actor("issue_api_key")):
            key, secret = issue_api_key(org, name, scope_list)
        self.stdout.write(
            f"Issued key {key.name!r} ({key.prefix}) for {org.slug} with scopes {', '.join(key.scopes)}."
        )
        self.stdout.write("Store it now: only a hash is kept and it cannot be shown again.")
        self.stdout.write(secret)
