#!/bin/sh
# The image's entrypoint (under tini). Each role execs its process, so it is tini's only child
# and gets SIGTERM directly (gunicorn and Celery then finish what they are doing and stop).
#   web      gunicorn on :8000 (docker/gunicorn.conf.py; WEB_CONCURRENCY workers)
#   worker   a Celery worker (CELERY_CONCURRENCY processes)
#   beat     Celery beat (exactly one per deployment)
#   migrate  apply migrations, then the demo data when SEED_DEMO=1; exits
#   anything else is run as given (e.g. `python manage.py issue_api_key ...`)
set -eu

role=${1:-web}
case "$role" in
  web)
    shift
    exec gunicorn harbour.wsgi:application --config /app/docker/gunicorn.conf.py "$@"
    ;;
  worker)
    shift
    exec celery -A harbour worker --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
    ;;
  beat)
    shift
    exec celery -A harbour beat --loglevel "${LOG_LEVEL:-INFO}" \
      --scheduler harbour.celery:Scheduler --schedule /tmp/celerybeat-schedule "$@"
    ;;
  migrate)
    shift
    python manage.py migrate --noinput
    if [ "${SEED_DEMO:-0}" = "1" ]; then
      echo "SEED_DEMO=1: loading the demo data (demo users and records; never in production)"
      python manage.py seed_demo
    fi
    ;;
  *)
    exec "$@"
    ;;
esac
