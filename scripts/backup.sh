#!/usr/bin/env bash
# Back up Harbour's PostgreSQL database in pg_dump's custom format (compressed; restored with
# scripts/restore.sh). See docs/operations.md.
#
#   scripts/backup.sh [OUTFILE]          # DATABASE_URL from the environment
#   DATABASE_URL=postgres://user@host:5432/harbour scripts/backup.sh /backups/harbour.dump
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
OUT=${1:-"harbour-$(date -u +%Y%m%dT%H%M%SZ).dump"}
TMP="$OUT.partial"
# One consistent snapshot (pg_dump runs in a single repeatable-read transaction); written to a
# temporary name first so a failed run never leaves a truncated file under the final name.
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$TMP" --dbname="$DATABASE_URL"
pg_restore --list "$TMP" > /dev/null  # the archive's table of contents must read back
mv "$TMP" "$OUT"
echo "$OUT"
