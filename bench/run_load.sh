#!/usr/bin/env bash
# Load test: seed_demo (+ a small synthetic history) in a database of its own, gunicorn as in
# production (harbour.settings.production, DEBUG off, whitenoise static after collectstatic)
# on 127.0.0.1, then locust headless: 50 users, spawn rate 5, 5 minutes, 1-3 s between
# requests. CSV stats go to bench/results/. Everything it starts is stopped at the end.
#
#   bash bench/run_load.sh            (or: make load)
# Environment: LOAD_DB (harbour_load), LOAD_PORT (8765), LOAD_USERS (50), LOAD_SPAWN (5),
# LOAD_TIME (5m), LOAD_WORKERS (3), LOAD_SYNTHETIC_INCIDENTS (20000, 0 to skip).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
DB=${LOAD_DB:-harbour_load}
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-50}
SPAWN=${LOAD_SPAWN:-5}
DURATION=${LOAD_TIME:-5m}
WORKERS=${LOAD_WORKERS:-3}
SYNTHETIC=${LOAD_SYNTHETIC_INCIDENTS:-20000}
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

echo "== database $DB (fresh)"
dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
createdb -h 127.0.0.1 -U postgres "$DB"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo > "$OUT/seed_demo.txt"
if [ "$SYNTHETIC" != 0 ] && "$PY" manage.py help generate_synthetic > /dev/null 2>&1; then
  "$PY" manage.py generate_synthetic --incidents "$SYNTHETIC" --detentions $((SYNTHETIC / 10)) \
    --years 2 > "$OUT/generate_synthetic.txt"
fi
"$PY" manage.py collectstatic --noinput -v 0
LOAD_API_KEY=$("$PY" manage.py issue_api_key --organisation midshire-police \
  --scopes detentions:read,places:read --name load-test | tail -n 1)
export LOAD_API_KEY

echo "== gunicorn ($WORKERS workers) on 127.0.0.1:$PORT"
"$ROOT/.venv/bin/gunicorn" harbour.wsgi:application --workers "$WORKERS" \
  --bind "127.0.0.1:$PORT" --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
trap 'kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/sign-in/"; then break; fi
  sleep 1
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/sign-in/"

echo "== locust: $USERS users, spawn rate $SPAWN/s, $DURATION"
"$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless --users "$USERS" \
  --spawn-rate "$SPAWN" --run-time "$DURATION" --host "http://127.0.0.1:$PORT" \
  --csv "$OUT/load" --only-summary --loglevel WARNING 2>&1 | tee "$OUT/locust.txt" || true

echo "== results: $OUT/load_stats.csv"
"$PY" - "$OUT/load_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'endpoint':<45} {'reqs':>6} {'fails':>5} {'rps':>6} {'p50':>5} {'p95':>5} {'p99':>5}")
for r in rows:
    print(f"{(r['Type'] + ' ' + r['Name'])[:45]:<45} {r['Request Count']:>6} {r['Failure Count']:>5} "
          f"{float(r['Requests/s']):>6.2f} {r['50%']:>5} {r['95%']:>5} {r['99%']:>5}")
PY
