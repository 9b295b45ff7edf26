"""Prints the current two-factor code of a demo user (their device in this database)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.otp import current_code


class Command(BaseCommand):
    help = "Print the current two-factor code for a user's authenticator device (demo use)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        device = (
            TOTPDevice.objects.filter(user__username=username, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(f"{username} has no confirmed authenticator device.")
        self.stdout.write(current_code(device))
