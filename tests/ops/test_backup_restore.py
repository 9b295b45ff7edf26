"""Backup and restore (scripts/backup.sh, scripts/restore.sh): the test database, with sealed
audit history, is dumped, restored into a new database, and `verify_audit` passes there."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from audit import sealing
from core.actor import acting_as, command_actor
from people.models import Person

ROOT = Path(__file__).resolve().parents[2]


def _url(name):
    db = settings.DATABASES["default"]
    user = db["USER"] or "postgres"
    auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{user}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _run(args, **env):
    environment = {**os.environ, **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        args,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restore_and_verify_audit(tmp_path, force, officer, settings):
    settings.HARBOUR_AUDIT = {**settings.HARBOUR_AUDIT, "SETTLE_SECONDS": 0}
    with acting_as(command_actor("ops-test")):
        for i in range(3):
            Person.objects.create(
                organisation=force,
                given_name="Backup",
                family_name=f"Person{i}",
                date_of_birth=dt.date(1980, 1, 1 + i),
            )
        seals = sealing.seal_pending(now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    assert seals, "nothing was sealed"

    source = _url(connection.settings_dict["NAME"])
    restored_name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    restored = _url(restored_name)
    dump = tmp_path / "harbour.dump"
    try:
        backup = _run(["bash", "scripts/backup.sh", str(dump)], DATABASE_URL=source)
        assert backup.returncode == 0, backup.stderr
        assert dump.stat().st_size > 0

        restore = _run(["bash", "scripts/restore.sh", str(dump), restored])
        assert restore.returncode == 0, restore.stderr
        # Never over an existing database.
        again = _run(["bash", "scripts/restore.sh", str(dump), restored])
        assert again.returncode == 3 and "already exists" in again.stderr

        env = {"DATABASE_URL": restored, "DJANGO_SETTINGS_MODULE": "harbour.settings.test"}
        verify = _run([sys.executable, "manage.py", "verify_audit"], **env)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert "Audit chain intact" in verify.stdout
        count = _run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from incidents.models import Person; "
                "print(Person.objects.filter(given_name='Backup').count())",
            ],
            **env,
        )
        assert count.stdout.strip().splitlines()[-1] == "3", count.stdout + count.stderr
        # The same migrations are recorded as applied (the schema came across whole).
        applied = _run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from django.db.migrations.recorder import MigrationRecorder; "
                "print(MigrationRecorder.Migration.objects.count())",
            ],
            **env,
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            assert applied.stdout.strip().splitlines()[-1] == str(cursor.fetchone()[0])
    finally:
        _run(["dropdb", "--if-exists", f"--maintenance-db={_url('postgres')}", restored_name])
