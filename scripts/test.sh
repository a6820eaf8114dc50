#!/usr/bin/env bash
# Runs the whole test suite. Where PostgreSQL is installed and no server is named in
# WINDOW_DESK_TEST_PG, a throwaway server is started for the PostgreSQL tests and
# stopped afterwards. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

pg_dir=""
cleanup() {
  if [[ -n "$pg_dir" ]]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ -z "${WINDOW_DESK_TEST_PG:-}" ]] && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/window-desk-pg.XXXXXX)
  trap cleanup EXIT
  chmod 755 "$pg_dir"
  if [[ $(id -u) == 0 ]]; then chown postgres "$pg_dir"; fi
  port=$((20000 + RANDOM % 20000))
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U desk -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-k $pg_dir -p $port -c listen_addresses='' -c fsync=off" start >/dev/null
  export WINDOW_DESK_TEST_PG="postgresql+psycopg://desk@/postgres?host=$pg_dir&port=$port"
fi

# README's test command installs every tool and server the suite uses, so a missing one fails here.
export WINDOW_DESK_TEST_STRICT=1
# One pytest worker per core (pytest-xdist); work-stealing, because a few tests take tens of seconds.
# WINDOW_DESK_TEST_WORKERS=0 runs everything in this process (for a debugger, or -x on one failure).
.venv/bin/python -m pytest -n "${WINDOW_DESK_TEST_WORKERS:-auto}" --dist worksteal "$@"
