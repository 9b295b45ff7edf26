"""The test OpenID provider's process: migrate its SQLite database, create the users and clients
of the config file, and serve on 127.0.0.1:<port> until killed.

    OIDC_TEST_CONFIG=/tmp/x/config.json python -m tests.oidc_provider.serve
"""

import os
import sys


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    config = settings.CONFIG
    call_command("migrate", verbosity=0)
    users = get_user_model()
    for username, spec in config["users"].items():
        user, _ = users.objects.get_or_create(username=username)
        user.set_password(spec["password"])
        user.save()
    for client in config["clients"]:
        Application.objects.update_or_create(
            client_id=client["client_id"],
            defaults={
                "name": client["client_id"],
                "client_secret": client["client_secret"],
                "client_type": Application.CLIENT_CONFIDENTIAL,
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "redirect_uris": " ".join(client["redirect_uris"]),
                "algorithm": Application.RS256_ALGORITHM,
                "skip_authorization": True,
            },
        )
    sys.stdout.write("ready to serve\n")
    sys.stdout.flush()
    call_command("runserver", f"127.0.0.1:{config['port']}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main()
