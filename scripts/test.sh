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

echo "== lint and types"
make --no-print-directory lint

ensure_system_packages
echo "== tests on SQLite (unit, property, API fuzzing, browser)"
env -u DATABASE_URL "$BIN/pytest" -n "${PYTEST_WORKERS:-auto}"

source scripts/pg.sh
start_postgres
echo "== tests on PostgreSQL 15 ($DATABASE_URL)"
"$BIN/pytest" -n "${PYTEST_WORKERS:-auto}" -m "not browser"
