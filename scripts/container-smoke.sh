#!/usr/bin/env bash
# Container smoke test (`make container-smoke`; not part of `make test`): build the image, start
# the compose stack with the demo data, wait for it to be healthy, sign in, record a detention
# through the API with a key issued by `manage.py issue_api_key`, request and download an export,
# then stop the stack and check every container stopped on SIGTERM (exit 0, not a kill).
#
# Environment:
#   COMPOSE               the compose command (default: `docker compose` when the v2 plugin is
#                         there, else `docker-compose`); e.g. on a machine without Docker Hub:
#                         COMPOSE="../shared/tools/container-lab.sh compose ."
#   COMPOSE_PROJECT_NAME  default harboursmoke (its volumes are removed at the end)
#   HARBOUR_PORT          host port for web (default 18000)
#   WORKERS               worker containers (default 1); above 1 the scale check runs too: 20
#                         detentions whose alerts fall due at once, 12 sweeps queued together on
#                         top of beat's, then every alert and every email must exist exactly once
#   KEEP=1                leave the stack running (and its volumes) for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${COMPOSE:-}" ]; then
  if docker compose version >/dev/null 2>&1; then COMPOSE="docker compose"; else COMPOSE="docker-compose"; fi
fi
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-harboursmoke}
export HARBOUR_PORT=${HARBOUR_PORT:-18000}
export SECRET_KEY=${SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')}
export SEED_DEMO=1
WORKERS=${WORKERS:-1}
compose() { $COMPOSE "$@"; }
say() { printf '[container-smoke %(%H:%M:%S)T] %s\n' -1 "$*"; }

started=$(date +%s)
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    say "failed (exit $rc); the last log lines:"
    compose ps || true
    compose logs --tail 40 || true
  fi
  if [ -z "${KEEP:-}" ]; then compose down -v --remove-orphans >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

say "building the image ($COMPOSE)"
t0=$(date +%s)
compose build
say "built in $(($(date +%s) - t0)) s; $(docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' "harbour:${HARBOUR_TAG:-local}")"

t0=$(date +%s)
compose up -d --scale "worker=$WORKERS"
say "started; waiting for /healthz"

key=$(compose exec -T web python manage.py issue_api_key --organisation midshire-police \
  --scopes incidents:write,detentions:read,detentions:write,places:read --name "container smoke test" | tail -n 1)
python3 scripts/container_smoke.py "$HARBOUR_PORT" "$key"
say "healthy and working $(($(date +%s) - t0)) s after \`up\`"

# Each container's own view of its health (compose healthchecks).
for svc in web worker beat; do
  for id in $(compose ps -q "$svc"); do
    deadline=$(($(date +%s) + 180))
    until [ "$(docker inspect -f '{{.State.Health.Status}}' "$id")" = healthy ]; do
      [ "$(date +%s)" -lt "$deadline" ] || { say "$svc $id is not healthy"; exit 1; }
      sleep 3
    done
  done
done
say "web, worker and beat containers report healthy"
[ "$(docker inspect -f '{{.State.ExitCode}}' "$(compose ps -q migrate)")" = 0 ]
say "migrate exited 0"
user=$(compose exec -T web id -un | tr -d '\r')
[ "$user" = harbour ] || { say "web runs as $user, not harbour"; exit 1; }
pid1=$(compose exec -T web cat /proc/1/comm | tr -d '\r')
say "web runs as $user; PID 1 is $pid1"

sql() { compose exec -T db psql -U postgres -d harbour -At -c "$1" | tr -d '\r'; }
if [ "$WORKERS" -gt 1 ]; then
  say "scale check with $WORKERS workers"
  # The demo users have no email address: give the force's staff one, so alerts are emailed
  # (the console backend prints each email in the worker's log) and every email can be counted.
  compose exec -T web python manage.py shell -c "
from accounts.models import User
from core.actor import acting_as, command_actor
with acting_as(command_actor('container-smoke')):
    for u in User.objects.filter(membership__organisation__slug='midshire-police'):
        u.email = u.username + '@midshire.example'
        u.save(update_fields=['email'])
"
  python3 scripts/container_smoke.py "$HARBOUR_PORT" "$key" --due 20
  compose exec -T web python manage.py shell -c \
    "from alerts.tasks import sweep; [sweep.delay() for _ in range(12)]"
  deadline=$(($(date +%s) + 300))
  until [ "$(compose exec -T redis redis-cli llen celery | tr -d '\r')" = 0 ] &&
        [ "$(sql "SELECT count(*) FROM alerts_delivery WHERE status IN ('pending','sending')")" = 0 ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "the queue did not drain"; exit 1; }
    sleep 2
  done
  sleep 15  # one more beat-triggered sweep on top: it must raise nothing new
  read -r dup_alerts dup_deliveries alerts sent retried <<<"$(sql "SELECT
    (SELECT count(*) FROM (SELECT 1 FROM alerts_alert GROUP BY kind, detention_id, referral_id,
      protocol_id, training_record_id, threshold_minutes, due_at HAVING count(*) > 1) d),
    (SELECT count(*) FROM (SELECT 1 FROM alerts_delivery GROUP BY alert_id, channel, address,
      escalation_level HAVING count(*) > 1) d),
    (SELECT count(*) FROM alerts_alert),
    (SELECT count(*) FROM alerts_delivery WHERE status = 'sent'),
    (SELECT count(*) FROM alerts_delivery WHERE attempts > 1)" | tr '|' ' ')"
  ours=$(sql "SELECT a.kind || ' ' || count(*) FROM alerts_alert a JOIN incidents_detention d
    ON d.id = a.detention_id JOIN incidents_person p ON p.id = d.person_id
    WHERE p.family_name = 'Smoke' GROUP BY a.kind ORDER BY a.kind" | paste -sd, -)
  emails=0
  for id in $(compose ps -q worker); do
    n=$( (docker logs "$id" 2>&1 | grep -o 'Subject: ' || true) | wc -l)
    sweeps=$( (docker logs "$id" 2>&1 | grep -o 'task alerts.tasks.sweep started' || true) | wc -l)
    say "worker $(docker inspect -f '{{.Name}}' "$id" | tr -d /): $sweeps sweeps, $n emails sent"
    emails=$((emails + n))
  done
  say "alerts: $alerts (the 20 new detentions: $ours); duplicate alerts: $dup_alerts"
  say "deliveries sent: $sent, emails in the workers' output: $emails, duplicates: $dup_deliveries, retried: $retried"
  [ "$dup_alerts" = 0 ] && [ "$dup_deliveries" = 0 ] && [ "$emails" = "$sent" ] ||
    { say "scale check FAILED"; exit 1; }
  say "scale check passed: every alert raised once, every email sent once"
fi

[ -n "${KEEP:-}" ] && { say "KEEP=1: the stack is left running"; exit 0; }
t0=$(date +%s)
ids=$(compose ps -q web worker beat)
compose stop
stop_s=$(($(date +%s) - t0))
for id in $ids; do
  code=$(docker inspect -f '{{.State.ExitCode}}' "$id")
  name=$(docker inspect -f '{{.Name}}' "$id")
  say "stopped ${name#/}: exit $code"
  [ "$code" = 0 ] || { say "${name#/} did not stop cleanly on SIGTERM"; exit 1; }
done
say "stopped in ${stop_s} s; PASSED in $(($(date +%s) - started)) s"
