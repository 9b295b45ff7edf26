#!/usr/bin/env bash
# Load test: gunicorn as in production (harbour.settings.production, DEBUG off, whitenoise static
# after collectstatic) on 127.0.0.1 with a Celery worker and beat running beside it, then locust
# headless: LOAD_USERS users signing in LOAD_SPAWN per second (staggered), statistics reset once
# every user is running (`--reset-stats`: the sign-in ramp is not in the figures), 1-3 s between
# requests, and two probes on /healthz (a bare framework view: middleware, a database and a
# Redis round trip) measured in the same run. CSV stats go to bench/results/. Everything it
# starts is stopped at the end.
#
#   bash bench/run_load.sh            (or: make load)
#   LOAD_DB=harbour_bench_1m LOAD_REUSE=1 LOAD_USERS=100 bash bench/run_load.sh
# Environment: LOAD_DB (harbour_load), LOAD_REUSE (0: drop and rebuild LOAD_DB with seed_demo and
# LOAD_SYNTHETIC_INCIDENTS; 1: use LOAD_DB as it is, e.g. a generate_synthetic benchmark database,
# only migrating it and seeding the demo users if missing), LOAD_PORT (8765), LOAD_USERS (50),
# LOAD_SPAWN (2), LOAD_TIME (3m), LOAD_WORKERS (3), LOAD_SYNTHETIC_INCIDENTS (20000, 0 to skip),
# LOAD_CELERY (1: run a worker and beat; /healthz reports 503 without them), LOAD_TAG (a suffix
# for the CSV files, so runs are kept side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
DB=${LOAD_DB:-harbour_load}
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-50}
SPAWN=${LOAD_SPAWN:-2}
DURATION=${LOAD_TIME:-3m}
WORKERS=${LOAD_WORKERS:-3}
SYNTHETIC=${LOAD_SYNTHETIC_INCIDENTS:-20000}
REUSE=${LOAD_REUSE:-0}
CELERY=${LOAD_CELERY:-1}
TAG=${LOAD_TAG:+_$LOAD_TAG}
OUT="$ROOT/bench/results"
mkdir -p "$OUT"

test -x "$ROOT/.venv/bin/locust" || "$ROOT/.venv/bin/pip" install --quiet -e ".[bench]"

export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/12}
export DJANGO_SETTINGS_MODULE=harbour.settings.production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_COOKIES=false
export LOG_LEVEL=WARNING

if [ "$REUSE" = 1 ]; then
  echo "== database $DB (as it is)"
  "$PY" manage.py migrate --noinput -v 0
  if ! "$PY" manage.py shell -c "from accounts.models import User; raise SystemExit(0 if User.objects.filter(username='officer').exists() else 1)"; then
    "$PY" manage.py seed_demo > "$OUT/seed_demo.txt"
  fi
else
  echo "== database $DB (fresh)"
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
  createdb -h 127.0.0.1 -U postgres "$DB"
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py seed_demo > "$OUT/seed_demo.txt"
  if [ "$SYNTHETIC" != 0 ]; then
    "$PY" manage.py generate_synthetic --incidents "$SYNTHETIC" --detentions $((SYNTHETIC / 10)) \
      --years 2 > "$OUT/generate_synthetic.txt"
  fi
fi
"$PY" manage.py shell -c "
from incidents.models import Incident; from detentions.models import Detention
print(f'== data: {Incident.objects.count():,} incidents, {Detention.objects.count():,} detentions')"
"$PY" manage.py collectstatic --noinput -v 0
LOAD_API_KEY=$("$PY" manage.py issue_api_key --organisation midshire-police \
  --scopes detentions:read,places:read --name load-test | tail -n 1)
export LOAD_API_KEY

# The steady state of a live system: the audit chain has sealed the history already (a bulk
# load leaves millions of rows for the worker's `audit-seal` task to catch up on otherwise).
"$PY" manage.py seal_audit | tail -n 1

echo "== gunicorn ($WORKERS workers) on 127.0.0.1:$PORT"
"$ROOT/.venv/bin/gunicorn" harbour.wsgi:application --workers "$WORKERS" \
  --bind "127.0.0.1:$PORT" --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
PIDS="$GUNICORN"
# The worker's children may be in the middle of a long task (sealing a bulk load's history):
# stop them too rather than wait for a warm shutdown.
trap 'kill $PIDS 2>/dev/null || true; pkill -KILL -f "harbour-loadbench@" 2>/dev/null || true; wait $PIDS 2>/dev/null || true' EXIT
if [ "$CELERY" = 1 ]; then
  echo "== celery worker and beat"
  "$ROOT/.venv/bin/celery" -A harbour worker --loglevel WARNING --concurrency 2 \
    --hostname "harbour-loadbench@%h" \
    > "$OUT/worker.log" 2>&1 &
  PIDS="$PIDS $!"
  "$ROOT/.venv/bin/celery" -A harbour beat --loglevel WARNING \
    --schedule "$(mktemp -d)/celerybeat-schedule" > "$OUT/beat.log" 2>&1 &
  PIDS="$PIDS $!"
  # /healthz is 200 once the worker's heartbeat and a completed sweep are recorded.
  for _ in $(seq 1 90); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz"; then break; fi
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$PORT/healthz"; echo
fi
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/sign-in/"; then break; fi
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/sign-in/"

echo "== locust: $USERS users, spawn rate $SPAWN/s, $DURATION"
"$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless --users "$USERS" \
  --spawn-rate "$SPAWN" --run-time "$DURATION" --host "http://127.0.0.1:$PORT" \
  --reset-stats --csv "$OUT/load$TAG" --only-summary --loglevel WARNING 2>&1 \
  | tee "$OUT/locust$TAG.txt" || true

echo "== results: $OUT/load${TAG}_stats.csv (load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$PY" - "$OUT/load${TAG}_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
bare = next((r for r in rows if r["Name"] == "/healthz"), None)
bare95 = float(bare["95%"]) if bare else None
print(f"{'endpoint':<45} {'reqs':>6} {'fails':>5} {'rps':>6} {'p50':>5} {'p95':>5} {'p99':>5} {'p95/bare':>8}")
for r in rows:
    ratio = f"{float(r['95%']) / bare95:.1f}" if bare95 else "-"
    print(f"{(r['Type'] + ' ' + r['Name'])[:45]:<45} {r['Request Count']:>6} {r['Failure Count']:>5} "
          f"{float(r['Requests/s']):>6.2f} {r['50%']:>5} {r['95%']:>5} {r['99%']:>5} {ratio:>8}")
PY
