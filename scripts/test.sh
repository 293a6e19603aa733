#!/usr/bin/env bash
# Everything a reviewer needs: lint, types, migrations check, the suite on SQLite (with API
# fuzzing and browser tests) and on a throwaway PostgreSQL 15 cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export WERKREGIE_TESTING=1

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "Installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

echo "== lint and types"
make --no-print-directory lint

ensure_chromium
echo "== tests on SQLite (unit, property, API fuzzing, browser)"
env -u DATABASE_URL "$BIN/pytest"

source scripts/pg.sh
start_postgres
echo "== tests on PostgreSQL 15 ($DATABASE_URL)"
"$BIN/pytest" -m "not browser"
