"""`manage.py check --deploy` is clean with the production settings, configured as production
would be (a 50-character secret key, HTTPS redirect on)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _environment(**extra):
    env = {**os.environ, **extra}
    # Set by the browser harness for its own thread; never in a deployment (async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def test_check_deploy_is_clean_in_production_settings():
    env = _environment(
        DJANGO_SETTINGS_MODULE="harbour.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50)[:50] + "x!",
        SECURE_SSL_REDIRECT="true",
        ALLOWED_HOSTS="harbour.example.police.uk",
        DEBUG="false",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_the_development_key():
    env = _environment(DJANGO_SETTINGS_MODULE="harbour.settings.production")
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
