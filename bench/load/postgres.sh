#!/usr/bin/env bash
# /api/events ingestion into PostgreSQL (docs/benchmarks.md, "Ingestion into PostgreSQL"). Not part of ./test.
# Starts a private PostgreSQL 15 on 127.0.0.1 (as ./test does; as root, `apt-get install postgresql` first), runs
# bench/load/run.sh's (c) against `rampart serve --postgres`, then again against SQLite for comparison, and stops it.
#   EVENT_BATCHES=300 bench/load/postgres.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
pg_bin=/usr/lib/postgresql/15/bin
[ -x "$pg_bin/pg_ctl" ] || { echo "PostgreSQL 15 is needed: apt-get install -y postgresql" >&2; exit 1; }
pg_port=55532
while (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
pg_data=$(mktemp -d)
pg_as=(); if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg_data"; pg_as=(runuser -u postgres --); fi
"${pg_as[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 >/dev/null
# Durable settings (fsync on, unlike the tests' throw-away instance): the figure is for committed events.
"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w start -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1" >/dev/null
trap '"${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m fast stop >/dev/null; rm -rf "$pg_data"' EXIT
echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres" EVENTS_ONLY=1 "$root/bench/load/run.sh"
echo "== the same against SQLite"
EVENTS_ONLY=1 "$root/bench/load/run.sh"
