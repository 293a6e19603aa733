#!/usr/bin/env bash
# Benchmarks on the national data set in a throwaway PostgreSQL 15 cluster.
# Writes the table to docs/benchmarks.md. Not part of `make test` (speed is never a test).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export WERKREGIE_TESTING=1
source scripts/pg.sh
start_postgres
"$BIN/werkregie" migrate --noinput -v0
"$BIN/werkregie" load_region >/dev/null
"$BIN/werkregie" load_catalogue >/dev/null
"$BIN/werkregie" load_issuers >/dev/null
"$BIN/werkregie" load_wage_tables >/dev/null
"$BIN/python" -m bench.run --output "${BENCH_OUTPUT:-docs/benchmarks.md}" ${BENCH_PARTS:+--parts "$BENCH_PARTS"}
