#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on a loopback port for the tests that need one.
#
#   source .ci/postgres.sh   # exports SIS_PIPELINE_TEST_POSTGRES (a DSN) and stops the
#                            # server when the sourcing shell exits
#
# Installs Debian's postgresql package when no server is on the machine. The cluster lives in
# a temporary folder owned by the unprivileged `postgres` user (the server refuses root) and
# trusts connections from loopback only.
set -euo pipefail

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(_pg_bin)" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN="$(_pg_bin)"
PG_DATA="$(mktemp -d)"
PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA"; fi
as_postgres "$PG_BIN/initdb" -D "$PG_DATA/cluster" -U postgres -A trust --no-sync >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA/cluster" -l "$PG_DATA/cluster/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DATA/cluster -c fsync=off -c max_connections=200" \
    >/dev/null
trap 'as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA/cluster" -m fast stop >/dev/null; rm -rf "$PG_DATA"' EXIT
export SIS_PIPELINE_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL for the tests on 127.0.0.1:$PG_PORT"
