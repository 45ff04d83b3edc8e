#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1 only, in a temporary folder.
#
#   source .ci/postgres.sh     # installs Debian's `postgresql` if missing, starts a cluster,
#                              # creates a database, exports TRAINER_TEST_PG_URL;
#                              # the server stops when the calling shell exits
#   .ci/postgres.sh            # the same, then prints the `export` line (for eval)
#
# Runs initdb/pg_ctl as the `postgres` user when called as root (PostgreSQL refuses root).

_trainer_pg_start() {
  local bin dir port run=()
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "postgres.sh: PostgreSQL is not installed and cannot be installed here" >&2
      return 1
    fi
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || {
      echo "postgres.sh: apt-get install postgresql failed" >&2
      return 1
    }
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/trainer-pg.XXXXXX") || return 1
  port=${TRAINER_PG_PORT:-$((20000 + RANDOM % 20000))}
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir" || return 1
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 || {
    echo "postgres.sh: initdb failed (see $dir/initdb.log)" >&2
    return 1
  }
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" \
    start >/dev/null || {
    echo "postgres.sh: the server did not start (see $dir/server.log)" >&2
    return 1
  }
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres trainer_test || return 1
  # shellcheck disable=SC2064
  trap "${run[*]} '$bin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1 || true" EXIT
  export TRAINER_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/trainer_test"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  _trainer_pg_start
else
  set -euo pipefail
  _trainer_pg_start
  trap - EXIT  # executed, not sourced: leave the server running for the caller
  echo "export TRAINER_TEST_PG_URL=$TRAINER_TEST_PG_URL"
fi
