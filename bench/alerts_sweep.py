"""Benchmark of the deadline-alert sweep.

1. Sweep time with 10,000 active detentions (target: one sweep under 1 s): the first sweep
   (which raises the alerts already due: a catch-up after an outage), then N steady-state sweeps.
2. Lateness of alerts (target: 99% raised within 30 s of falling due): detentions whose expiry
   falls at random instants over the next few minutes, with a real `celery worker` and
   `celery beat` (the production 10 s schedule); lateness = raised_at - due_at.

Runs against its own database (created if missing; its alerts and detentions are wiped):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/harbour_bench \\
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/alerts_sweep.py

Options: --detentions 10000 --sweeps 20 --lateness-detentions 600 --lateness-seconds 180
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/harbour_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")


def ensure_database():
    import psycopg
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    assert "bench" in name, f"refusing to wipe a database not named *bench*: {name}"
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def wipe():
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "TRUNCATE alerts_delivery, alerts_historicaldelivery, alerts_alert, "
            "alerts_historicalalert, incidents_detentionarrival, incidents_detention, "
            "incidents_person CASCADE"
        )


def setup_orgs():
    from accounts.roles import OrganisationKind
    from accounts.services import ensure_organisation
    from places_of_safety.models import PlaceOfSafety

    force, _ = ensure_organisation("bench-police", "Bench Police", OrganisationKind.POLICE_FORCE)
    trust, _ = ensure_organisation(
        "bench-trust", "Bench Trust", OrganisationKind.MENTAL_HEALTH_TRUST
    )
    station, _ = PlaceOfSafety.objects.get_or_create(
        name="Bench custody", kind="police_station", organisation=force, defaults={"capacity": 999}
    )
    suite, _ = PlaceOfSafety.objects.get_or_create(
        name="Bench suite", kind="health_based", organisation=trust, defaults={"capacity": 999}
    )
    setup_recipients(force, trust)
    return force, station, suite


def setup_recipients(force, trust):
    """Someone in every role an alert is addressed to at level 0 (with an email address), so
    that every alert raised is addressed and its deliveries are written and queued."""
    from accounts.roles import Role
    from accounts.services import ensure_user

    people = [
        ("bench-adviser", force, Role.MH_TACTICAL_ADVISER),
        ("bench-inspector", force, Role.INSPECTOR),
        ("bench-sergeant", force, Role.CUSTODY_SERGEANT),
        ("bench-superintendent", force, Role.SUPERINTENDENT),
        ("bench-suite-staff", trust, Role.PLACE_OF_SAFETY_STAFF),
    ]
    for username, org, role in people:
        user = ensure_user(username, organisation=org, roles=[role], password="bench-password")
        if not user.email:
            user.email = f"{username}@bench.invalid"
            user.save(update_fields=["email"])


def make_detentions(n, force, station, suite, *, expiry_between, prefix):
    """`n` active detentions with their derived columns as the services would set them, bulk
    inserted (this is load, not behaviour: the services are tested elsewhere)."""
    from django.utils import timezone

    from detentions.models import Detention
    from people.models import Person

    now = timezone.now()
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=force,
                given_name="Bench",
                family_name=f"{prefix}{i}",
                date_of_birth=date(1980, 1, 1),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    rows = []
    lo, hi = expiry_between
    for i, person in enumerate(people):
        expires = now + timedelta(seconds=random.uniform(lo, hi))
        arrived = expires - timedelta(hours=24)
        at_station = i % 3 == 0
        place = station if at_station else suite
        rows.append(
            Detention(
                organisation=force,
                reference=f"BENCH-{prefix}-{i:06d}",
                person=person,
                power="s136",
                detained_at=arrived - timedelta(minutes=20),
                location_kind="public_place",
                rule_set="pca2017",
                status="at_place_of_safety",
                clock_started_at=arrived,
                expires_at=expires,
                current_place_of_safety=place,
                at_police_station=at_station,
                # Checks and reviews recorded on time: the next ones are ahead.
                next_welfare_check_due_at=now + timedelta(minutes=random.uniform(1, 30))
                if at_station
                else None,
                next_review_due_at=now + timedelta(minutes=random.uniform(1, 60))
                if at_station
                else None,
                assessment_due_at=arrived + timedelta(hours=3),
                handover_due_at=None if at_station else arrived + timedelta(hours=1),
            )
        )
    Detention.objects.bulk_create(rows, batch_size=2000)
    # Recorded long ago (not typed in late), so every threshold that passed is owed.
    Detention.objects.filter(reference__startswith=f"BENCH-{prefix}-").update(
        created_at=now - timedelta(days=2)
    )
    return len(rows)


# The sweep's phases, timed one by one in the catch-up when --breakdown is given.
PHASES = [
    "_close_stale",
    "_raise_alerts",
    "_raise_reminders",
    "_write_history",
    "_publish_breaches",
    "publish_raised",
    "_plan_deliveries",
    "_personal_deliveries",
    "_create_deliveries",
    "_deliver_raised",
    "_recipients",
    "_dispatch_on_commit",
    "_repeat",
    "_escalate",
    "_after_claim",
    "_requeue_stuck_deliveries",
]


class Breakdown:
    """Wall time per phase of `alerts.sweep` (nested phases count in their own row and in their
    caller's), SQL time inside each, and the commits; only while active."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.sql: dict[str, float] = {}
        self.stack: list[str] = []

    def __enter__(self):
        from django.db import connection

        from alerts import sweep as module

        # (A phase an older version of the module does not have is skipped.)
        self.saved = {name: getattr(module, name) for name in PHASES if hasattr(module, name)}
        for name, fn in self.saved.items():
            setattr(module, name, self._timed(name, fn))
        self.hook = connection.execute_wrapper(self._sql)
        self.hook.__enter__()
        # Commits do not pass through execute_wrapper; timed apart (the deferred foreign key
        # checks of every row written run in them).
        self.commit = connection._commit
        connection._commit = self._timed("COMMIT", self.commit)
        return self

    def __exit__(self, *exc):
        from django.db import connection

        from alerts import sweep as module

        self.hook.__exit__(*exc)
        del connection._commit  # the instance attribute set above: the method again
        for name, fn in self.saved.items():
            setattr(module, name, fn)

    def _timed(self, name, fn):
        def run(*args, **kwargs):
            self.stack.append(name)
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - t
                self.stack.pop()

        return run

    def _sql(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            where = self.stack[-1] if self.stack else ("COMMIT" if "COMMIT" in sql else "other")
            self.sql[where] = self.sql.get(where, 0.0) + time.perf_counter() - t

    def report(self, total):
        lines = [f"  breakdown of the catch-up ({total * 1000:.0f} ms):"]
        for name in sorted(set(self.wall) | set(self.sql), key=lambda n: -self.wall.get(n, 0)):
            lines.append(
                f"    {name:<28} {self.wall.get(name, 0) * 1000:8.1f} ms "
                f"(SQL {self.sql.get(name, 0) * 1000:7.1f} ms)"
            )
        return "\n".join(lines)


def bench_sweeps(n_detentions, n_sweeps, breakdown=False):
    from django.db import connection

    from alerts.models import Alert
    from alerts.sweep import sweep

    force, station, suite = setup_orgs()
    t = time.perf_counter()
    make_detentions(n_detentions, force, station, suite, expiry_between=(60, 24 * 3600), prefix="S")
    created_in = time.perf_counter() - t
    with connection.cursor() as c:
        c.execute("ANALYZE")
    # The catch-up: raise what fell due, address it, write its deliveries and queue them (the
    # messages are published when the sweep's transaction commits, inside the timing).
    timer = Breakdown() if breakdown else None
    profile = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
    t = time.perf_counter()
    if timer:
        with timer:
            first = sweep()
    elif profile:
        profile.enable()
        first = sweep()
        profile.disable()
    else:
        first = sweep()
    first_s = time.perf_counter() - t
    if profile:
        import pstats

        pstats.Stats(profile).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(30)
    unaddressed = Alert.objects.filter(pk__in=first.raised, organisations=[]).count()
    times = []
    for _ in range(n_sweeps):
        t = time.perf_counter()
        sweep()
        times.append(time.perf_counter() - t)
    times.sort()
    return {
        "detentions": n_detentions,
        "created_in_s": created_in,
        "alerts_after_first": Alert.objects.count(),
        "first": first.as_dict(),
        "first_s": first_s,
        "unaddressed": unaddressed,
        "queued": queued_messages(),
        "min": times[0],
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
        "n": len(times),
        "breakdown": timer.report(first_s) if timer else "",
    }


def queued_messages() -> int:
    """Messages waiting in the Celery queue (no worker runs during the sweep timings)."""
    from harbour.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(queue="celery", passive=True).message_count


def bench_lateness(n, spread_seconds):
    from django.conf import settings
    from django.utils import timezone

    from alerts.models import Alert, AlertKind
    from harbour.celery import app

    force, station, suite = setup_orgs()
    app.control.purge()
    env = {**os.environ, "CONN_MAX_AGE": "0", "LOG_LEVEL": "WARNING"}
    tmp = ROOT / "test-artifacts"
    tmp.mkdir(exist_ok=True)
    procs = []
    try:
        for args in (
            [
                "worker",
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "-n",
                "bench@localhost",
            ],
            ["beat", f"--schedule={tmp / 'bench-beat.db'}", f"--pidfile={tmp / 'bench-beat.pid'}"],
        ):
            log = open(tmp / f"bench-{args[0]}.log", "w")  # noqa: SIM115
            procs.append(
                (
                    subprocess.Popen(
                        [sys.executable, "-m", "celery", "-A", "harbour", *args, "--loglevel=INFO"],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    ),
                    log,
                )
            )
        start = timezone.now()
        make_detentions(n, force, station, suite, expiry_between=(5, spread_seconds), prefix="L")
        due = Alert.objects.none()
        deadline = time.monotonic() + spread_seconds + 90
        while time.monotonic() < deadline:
            due = Alert.objects.filter(
                kind=AlertKind.EXPIRED, detention__reference__startswith="BENCH-L-"
            )
            if due.count() >= n:
                break
            time.sleep(2)
        lateness = sorted(
            (a.raised_at - a.due_at).total_seconds() for a in due.only("raised_at", "due_at")
        )
    finally:
        for proc, log in procs:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
    within = sum(1 for x in lateness if x <= 30)
    return {
        "detentions": n,
        "spread_s": spread_seconds,
        "raised": len(lateness),
        "p50": statistics.median(lateness) if lateness else None,
        "p99": lateness[int(0.99 * (len(lateness) - 1))] if lateness else None,
        "max": lateness[-1] if lateness else None,
        "within_30s": within / n,
        "sweep_every_s": settings.CELERY_BEAT_SCHEDULE["alerts-sweep"]["schedule"],
        "started": start,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detentions", type=int, default=10_000)
    parser.add_argument("--sweeps", type=int, default=20)
    parser.add_argument("--lateness-detentions", type=int, default=600)
    parser.add_argument("--lateness-seconds", type=int, default=180)
    parser.add_argument("--skip-lateness", action="store_true")
    parser.add_argument(
        "--breakdown", action="store_true", help="time the catch-up sweep phase by phase"
    )
    args = parser.parse_args()

    import django

    django.setup()
    ensure_database()
    wipe()
    random.seed(136)
    from harbour.celery import app

    app.control.purge()
    s = bench_sweeps(args.detentions, args.sweeps, args.breakdown)
    print(
        f"sweep with {s['detentions']} active detentions (created in {s['created_in_s']:.1f} s):\n"
        f"  first sweep (catch-up, {s['first']}): {s['first_s'] * 1000:.0f} ms; "
        f"alerts raised with no addressee: {s['unaddressed']}; "
        f"task messages queued: {s['queued']}\n"
        f"  steady state over {s['n']} sweeps: min {s['min'] * 1000:.1f} ms, "
        f"median {s['median'] * 1000:.1f} ms, p95 {s['p95'] * 1000:.1f} ms, "
        f"max {s['max'] * 1000:.1f} ms"
    )
    if s["breakdown"]:
        print(s["breakdown"])
    if not args.skip_lateness:
        late = bench_lateness(args.lateness_detentions, args.lateness_seconds)
        print(
            f"lateness of {late['raised']}/{late['detentions']} expired alerts falling due over "
            f"{late['spread_s']} s (beat every {late['sweep_every_s']:.0f} s, one worker), "
            f"on top of the {s['detentions']} active detentions:\n"
            f"  p50 {late['p50']:.1f} s, p99 {late['p99']:.1f} s, max {late['max']:.1f} s, "
            f"within 30 s: {late['within_30s']:.1%}"
        )
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
