#!/usr/bin/env bash
# Everything a reviewer needs: lint, types, migrations check, the suite on SQLite (with API
# fuzzing and browser tests) and on a throwaway PostgreSQL 15 cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export WERKREGIE_TESTING=1

# Debian packages the tests need: chromium (browser tests), Pango and a font (WeasyPrint PDFs).
ensure_system_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  ldconfig -p | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

phase() { echo "== [$(date +%T), ${SECONDS}s] $*"; }
phase "lint and types"
make --no-print-directory lint

ensure_system_packages
phase "tests on SQLite (unit, property, API fuzzing, browser)"
env -u DATABASE_URL "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" --dist worksteal

source scripts/pg.sh
start_postgres
phase "tests on PostgreSQL 15 ($DATABASE_URL)"
"$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" --dist worksteal -m "not browser" --database-tests-only

phase "backup drill and production server smoke test (PostgreSQL)"
createdb_bin="$(pg_bin)/createdb"
"$createdb_bin" -h 127.0.0.1 -p "$PG_PORT" -U postgres werkregie_smoke
"$createdb_bin" -h 127.0.0.1 -p "$PG_PORT" -U postgres werkregie_restored
prod_env() {  # the production settings against database $1
  env -u WERKREGIE_TESTING PATH="$(pg_bin):$PATH" DATABASE_URL="${DATABASE_URL%/*}/$1" \
    SECRET_KEY="smoke-key-$PG_PORT-not-secret-only-for-this-throwaway-cluster" \
    ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 BEHIND_TLS_PROXY=0 SECURE_COOKIES=0 \
    SECURE_HSTS_SECONDS=0 "${@:2}"
}
BACKUP_DIR="$PG_TMP/backup"
prod_env werkregie_smoke "$BIN/werkregie" migrate --noinput -v0
prod_env werkregie_smoke "$BIN/werkregie" setup_demo >/dev/null
prod_env werkregie_smoke "$BIN/werkregie" backup "$BACKUP_DIR"
# Restore into a fresh database: the command compares every table and the audit log.
prod_env werkregie_restored "$BIN/werkregie" restore "$BACKUP_DIR"
SMOKE_PORT=$((PG_PORT + 1))
# A national-scale export (74,674 rows) for the smoke test's roster import as a job.
EXPORT_DIR="$PG_TMP/export"
prod_env werkregie_restored "$BIN/werkregie" write_demo_export "$EXPORT_DIR" --scale national --seed 7 >/dev/null
prod_env werkregie_restored "$BIN/werkregie" serve --bind "127.0.0.1:$SMOKE_PORT" --workers 2 &
prod_env werkregie_restored "$BIN/werkregie" worker --interval 0.3 &
stop_server() {
  pkill -f "werkregie serve --bind 127.0.0.1:$SMOKE_PORT" 2>/dev/null || true
  pkill -f "werkregie worker --interval 0.3" 2>/dev/null || true
  wait
}
trap 'stop_server; stop_postgres' EXIT
"$BIN/python" scripts/smoke.py "http://127.0.0.1:$SMOKE_PORT" transitiemanager demo-werkregie "$EXPORT_DIR"
stop_server
phase "done"
