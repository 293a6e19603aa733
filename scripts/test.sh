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
LOGS=$(mktemp -d /tmp/werkregie-test.XXXXXX)

# The machine has two cores. Lint and types (one core, mostly) run beside the tests on
# SQLite, the backup drill and smoke test (one server process at a time) beside the tests
# on PostgreSQL; each side's output is printed when it ends, and any failure fails the run.
# What runs on one engine only, and why:
# - the access matrix (every URL x every role) on PostgreSQL, the production engine: its
#   scope rules are plain filters both engines answer alike, and it is a sixth of the suite;
# - setup_demo end to end (`make run`'s demo) on SQLite; on PostgreSQL the drill runs it;
# - the browser tests on SQLite; tests that never touch the database on SQLite.
declare -A BACKGROUND  # name -> pid
background() {  # name, command...: run beside the tests, output in $LOGS/name.log
  local name=$1
  shift
  ( "$@" ) >"$LOGS/$name.log" 2>&1 &
  BACKGROUND[$name]=$!
}
finish() {  # name: wait for it, print its output, fail if it failed
  local rc=0
  wait "${BACKGROUND[$1]}" || rc=$?
  cat "$LOGS/$1.log"
  [ "$rc" = 0 ] || { echo "== $1 failed (exit $rc)"; exit "$rc"; }
  phase "$1 done"
}

ensure_system_packages
phase "lint and types, beside the tests on SQLite (unit, property, API fuzzing, browser)"
background lint make --no-print-directory lint
tests_rc=0
env -u DATABASE_URL "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" --dist worksteal -m "not matrix" \
  || tests_rc=$?
phase "tests on SQLite done"
finish lint
[ "$tests_rc" = 0 ] || exit "$tests_rc"

source scripts/pg.sh
start_postgres
drill() {
  set -euo pipefail
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
  # make run's demo on PostgreSQL: a second setup_demo changes nothing.
  again=$(prod_env werkregie_smoke "$BIN/werkregie" setup_demo)
  grep -q "al uitgevoerd" <<<"$again"
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
  trap stop_server EXIT
  "$BIN/python" scripts/smoke.py "http://127.0.0.1:$SMOKE_PORT" transitiemanager demo-werkregie "$EXPORT_DIR"
}
phase "backup drill and production server smoke test, beside the tests on PostgreSQL 15 ($DATABASE_URL)"
# On any exit: no smoke server or worker left behind, then the cluster stopped.
trap 'pkill -f "werkregie serve --bind 127.0.0.1:$((PG_PORT + 1))" 2>/dev/null || true
      pkill -f "werkregie worker --interval 0.3" 2>/dev/null || true
      stop_postgres' EXIT
background drill drill
tests_rc=0
"$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" --dist worksteal -m "not browser and not demo_setup" \
  --database-tests-only || tests_rc=$?
phase "tests on PostgreSQL done"
finish drill
[ "$tests_rc" = 0 ] || exit "$tests_rc"
rm -rf "$LOGS"
phase "done"
