#!/usr/bin/env bash
# Restart on a long history (docs/benchmarks.md, "Restart from a checkpoint"). Not part of ./test.
# Writes EVENTS events over UNITS units of one running experiment (bench/Rampart.Benchmarks' `history`), starts `rampart
# serve` on them (it reads them all once and writes a results checkpoint), restarts it, and prints the time until the
# results are ready again, the server's memory, the database's and the checkpoint's size. SQLite by default; PG=1 starts
# a private PostgreSQL 15 (as ./test does; as root, `apt-get install postgresql` first) and uses it instead.
#   EVENTS=100000000 UNITS=5000000 PG= bench/load/restart.sh      (100 M events: about 20 min and 20 GB of disk)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
EVENTS="${EVENTS:-100000000}"; UNITS="${UNITS:-5000000}"; PG="${PG:-}"
UP_PORT="${UP_PORT:-18281}"; GW_PORT="${GW_PORT:-18280}"
source bench/load/lib.sh

bench_build
dotnet build -c Release -v q --nologo "$root/bench/Rampart.Benchmarks" >/dev/null
bench="$root/bench/Rampart.Benchmarks/bin/Release/net10.0/Rampart.Benchmarks.dll"
if [ -n "$PG" ]; then
  start_private_postgres
  storage=(--postgres "$pg_connection"); target=(--postgres "$pg_connection")
else
  storage=(--db "$work/rampart.db"); target=(--db "$work/rampart.db")
fi
cat >"$work/rampart.json" <<JSON
{ "providers": { "up": { "type": "openai", "base_url": "http://127.0.0.1:$UP_PORT/v1" } },
  "Logging": { "LogLevel": { "Default": "Warning", "Rampart.Server.Results": "Information" } } }
JSON
echo "== machine"; nproc; uptime
echo "== history: $EVENTS events over $UNITS units"
dotnet "$bench" history "${target[@]}" "$EVENTS" "$UNITS"

results_ready() { curl -s "http://127.0.0.1:$GW_PORT/healthz" | grep -q '"results":"ready"'; }
wait_ready() { until results_ready; do sleep 0.05; done; }
seconds_since() { echo "scale=1; ($(date +%s%N) - $1) / 1000000000" | bc; }
memory() { awk '/VmHWM/ {printf "%.0f MiB peak", $2/1024} /VmRSS/ {printf ", %.0f MiB now", $2/1024}' "/proc/$1/status"; }

echo "== first start: every event read once, then a checkpoint written"
started=$(date +%s%N)
start_server
wait_up "http://127.0.0.1:$GW_PORT/healthz"
wait_ready
echo "results ready after $(seconds_since "$started") s ($(memory "${pids[-1]}"))"
until grep -q "wrote a checkpoint" "$work/server.log"; do sleep 0.5; done
grep "wrote a checkpoint" "$work/server.log" | tail -1
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

for round in 1 2; do
  echo "== restart $round: from the checkpoint"
  started=$(date +%s%N)
  start_server
  wait_up "http://127.0.0.1:$GW_PORT/healthz"
  up=$(seconds_since "$started")
  wait_ready
  ready=$(seconds_since "$started")
  curl -sf -o /dev/null -H "Authorization: Bearer $RAMPART_KEY" "http://127.0.0.1:$GW_PORT/api/experiments/history/results"
  echo "serving after $up s; results ready after $ready s; results answered after $(seconds_since "$started") s ($(memory "${pids[-1]}"))"
  grep "started from checkpoint" "$work/server.log" | tail -1
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
done

echo "== disk"
if [ -n "$PG" ]; then
  psql_pg -c "SELECT pg_size_pretty(pg_database_size('postgres')) AS database, pg_size_pretty(pg_total_relation_size('events')) AS events, pg_size_pretty(pg_total_relation_size('checkpoint_chunks')) AS checkpoints;"
else
  du -h "$work"/rampart.db*
fi
