# Sourced by test.sh and bench.sh: start a throwaway PostgreSQL 15 cluster in a temp dir.
# Sets DATABASE_URL and a trap that stops the cluster and removes the dir on exit.
pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

start_postgres() {
  local bin
  if ! bin=$(pg_bin); then
    echo "PostgreSQL not found: installing Debian's postgresql package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(pg_bin)
  fi
  PG_TMP=$(mktemp -d /tmp/werkregie-pg.XXXXXX)
  PG_PORT=${PG_PORT:-$((20000 + RANDOM % 20000))}
  local run=()
  if [ "$(id -u)" = "0" ]; then
    # initdb refuses to run as root: the cluster belongs to the postgres user.
    chown postgres "$PG_TMP"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_TMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/log" -w \
    -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_TMP/data" -m fast stop)
  trap 'stop_postgres' EXIT
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/werkregie"
  "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres werkregie
}

stop_postgres() {
  if [ -n "${PG_TMP:-}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
    PG_TMP=""
  fi
}
