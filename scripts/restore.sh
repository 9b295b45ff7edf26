#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW database (never over a live one), then
# check its audit chain. See docs/operations.md.
#
#   scripts/restore.sh DUMPFILE postgres://user@host:5432/harbour_restored
set -euo pipefail
DUMP=${1:?usage: restore.sh DUMPFILE TARGET_DATABASE_URL}
TARGET=${2:?usage: restore.sh DUMPFILE TARGET_DATABASE_URL}
test -r "$DUMP" || { echo "cannot read $DUMP" >&2; exit 2; }

SERVER=${TARGET%/*}
NAME=${TARGET##*/}
NAME=${NAME%%\?*}
[[ "$NAME" =~ ^[A-Za-z0-9_]+$ ]] || { echo "unexpected database name: $NAME" >&2; exit 2; }
EXISTS=$(psql "$SERVER/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$NAME'")
if [ "$EXISTS" = 1 ]; then
  echo "database $NAME already exists: restore into a new, empty database" >&2
  exit 3
fi
psql "$SERVER/postgres" -qc "CREATE DATABASE \"$NAME\""
# One transaction: a restore that fails part-way leaves an empty database, not half a one.
if ! pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$TARGET" "$DUMP"; then
  echo "restore failed; dropping the new database $NAME" >&2
  psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS \"$NAME\""
  exit 1
fi
echo "restored into $NAME"
echo "next: DATABASE_URL=$TARGET python manage.py migrate --check && DATABASE_URL=$TARGET python manage.py verify_audit"
