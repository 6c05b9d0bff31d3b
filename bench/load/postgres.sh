#!/usr/bin/env bash
# Ingestion into PostgreSQL (docs/benchmarks.md, "Ingestion into PostgreSQL"). Not part of ./test. About 2 minutes.
# Starts a private PostgreSQL 15 on 127.0.0.1 with durable settings (as root, `apt-get install postgresql` first) and
# `rampart serve --postgres` on its one database, and prints side by side, in one run:
#   (a) raw binary COPY of the same rows into a table shaped like `events` (Rampart.Load copy: COPY_BATCHES transactions
#       of COPY_BATCH rows from COPY_CONCURRENCY connections, nothing else): the ceiling on this machine;
#   (b) one server alone ingesting /api/events: EVENT_BATCHES JSON Lines batches of 1,000 completion events, POSTERS
#       posters;
#   (c) a second server started on the same database (it reads every stored event first), then both at once, each
#       given (b)'s load: the sum of their events/s;
# then the ratios to (a), and the CPU seconds PostgreSQL and the servers used in each (the rest of the machine's busy
# time is the load generator and whatever else runs).
#   EVENT_BATCHES=300 POSTERS=4 COPY_BATCHES=100 COPY_BATCH=5000 COPY_CONCURRENCY=2 bench/load/postgres.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
EVENT_BATCHES="${EVENT_BATCHES:-300}"; POSTERS="${POSTERS:-4}"; COPY_BATCHES="${COPY_BATCHES:-100}"; COPY_BATCH="${COPY_BATCH:-5000}"; COPY_CONCURRENCY="${COPY_CONCURRENCY:-2}"
UP_PORT="${UP_PORT:-18481}"; GW_PORT="${GW_PORT:-18480}"; GW_PORT_2="${GW_PORT_2:-18482}"
pg_bin=/usr/lib/postgresql/15/bin
source bench/load/lib.sh

# Durable settings (fsync on, unlike the tests' throw-away instance): the figure is for committed events.
# pg_stat_statements only to print, at the end, where PostgreSQL's time went.
start_private_postgres -c shared_preload_libraries=pg_stat_statements
echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
psql() { "${pg_as[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -X -q "$@"; }
psql -c "CREATE EXTENSION pg_stat_statements;"

bench_build
start_upstream
storage=(--postgres "$pg_connection")
start_server; servers=("${pids[-1]}")
wait_up "http://127.0.0.1:$GW_PORT/healthz"
wait_up "http://127.0.0.1:$UP_PORT/"
start_experiment
gw1="http://127.0.0.1:$GW_PORT/api/events"; gw2="http://127.0.0.1:$GW_PORT_2/api/events"

# CPU ticks of PostgreSQL (the postmaster, the backends it has reaped and those still running), of the two servers,
# and of the whole machine.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
pg_ticks() {
  local postmaster; postmaster=$(head -1 "$pg_data/postmaster.pid")
  echo $(( $(awk '{print $16 + $17}' "/proc/$postmaster/stat") + $(ticks "$postmaster" $(pgrep -P "$postmaster")) ))
}
busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
hz=$(getconf CLK_TCK)
# CPU seconds of this script's finished children (the load generator, psql): bash's `times`, second line.
# (Run in this shell, not in $(…): a subshell's `times` knows nothing of this shell's children.)
children_s() { times >"$work/times"; tail -1 "$work/times" | awk '{for (i = 1; i <= 2; i++) {split($i, t, /[ms]/); s += t[1] * 60 + t[2]}} END {printf "%.2f", s}' >"$work/children"; }
# PostgreSQL's busiest statements since the last mark (execution time includes waiting, e.g. for the client to read).
statements() {
  psql -c "SELECT calls, round(total_exec_time) AS total_ms, round(mean_exec_time::numeric, 2) AS mean_ms, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS query
           FROM pg_stat_statements WHERE total_exec_time > 100 ORDER BY total_exec_time DESC LIMIT 6;"
}
mark() { psql -o /dev/null -c "SELECT pg_stat_statements_reset();"; children_s; read -r m_pg m_srv m_busy m_children <<<"$(pg_ticks) $(ticks "${servers[@]}") $(busy_ticks) $(cat "$work/children")"; }
cpu_since() {
  children_s
  awk -v hz="$hz" -v pg="$(( $(pg_ticks) - m_pg ))" -v srv="$(( $(ticks "${servers[@]}") - m_srv ))" -v busy="$(( $(busy_ticks) - m_busy ))" -v lg="$(cat "$work/children")" -v lg0="$m_children" \
  'BEGIN {printf "CPU s: PostgreSQL %.1f, servers %.1f, load generator %.1f, anything else %.1f (whole machine %.1f)", pg / hz, srv / hz, lg - lg0, (busy - pg - srv) / hz - (lg - lg0), busy / hz}'
  echo
}
field() { sed -E "s/.* $1=([0-9.]+).*/\1/" <<<" $2"; }
# The load generator is a fresh process in each phase. With tiered compilation its hot methods are compiled again,
# optimised, in the middle of the measured seconds (8% of the machine's CPU in (c), by perf), CPU the servers and
# PostgreSQL then lack; compiled once, optimised, at first call, it costs its share only while it starts.
loadgen() { DOTNET_TieredCompilation=0 dotnet "$load" "$@"; }

# Waits (at most 15 s) until the servers use next to no CPU for half a second: after a warm-up, the runtime still
# compiles the hot methods again, optimised, in the background (a second of CPU or more), which would otherwise land
# in the measured seconds of whichever phase comes next.
settle() {
  local before after
  for _ in $(seq 1 30); do
    before=$(ticks "${servers[@]}"); sleep 0.5; after=$(ticks "${servers[@]}")
    [ $((after - before)) -le 2 ] && return 0
  done
  echo "(the servers did not settle within 15 s)"
}

echo "== machine"; nproc; uptime
echo "== warm-up (60 batches, other ids)"
loadgen events "$gw1" "$RAMPART_KEY" bench 60 1000 4 warm1 >/dev/null
settle

echo "== (a) raw binary COPY: $COPY_BATCHES transactions of $COPY_BATCH rows, $COPY_CONCURRENCY connections"
mark
loadgen copy "$pg_connection" "$COPY_BATCHES" "$COPY_BATCH" "$COPY_CONCURRENCY" >"$work/copy.txt"; copy=$(cat "$work/copy.txt")
echo "$copy"; cpu_since
raw=$(field rows_per_s "$copy")

echo "== (b) one server: /api/events, $EVENT_BATCHES batches of 1,000 JSON Lines, $POSTERS concurrent posters"
mark
loadgen events "$gw1" "$RAMPART_KEY" bench "$EVENT_BATCHES" 1000 "$POSTERS" one >"$work/one.txt"; one=$(cat "$work/one.txt")
echo "$one"; cpu_since; statements
uptime

# The second server starts only now, so (b) is one server alone (no other server reading its events back). It reads
# every event stored so far before its results are ready, then ingests as much as the first one has (its warm-up and
# (b)), which the first one follows, so both come to (c) equally warm.
echo "== a second server on the same database: catching up, then a warm-up of $((60 + EVENT_BATCHES)) batches"
GW_PORT="$GW_PORT_2" start_server; servers+=("${pids[-1]}")
wait_up "http://127.0.0.1:$GW_PORT_2/healthz"
for _ in $(seq 1 600); do curl -s "http://127.0.0.1:$GW_PORT_2/healthz" | grep -q '"results":"ready"' && break; sleep 0.1; done
loadgen events "$gw2" "$RAMPART_KEY" bench $((60 + EVENT_BATCHES)) 1000 4 warm2 >/dev/null
# Then both at once, briefly, as (c) will: each server ingesting while it follows the other runs code neither ran
# before (perf showed the runtime compiling it again, optimised, inside (c)'s measured seconds without this).
echo "== a warm-up of both at once (60 batches each)"
loadgen events "$gw1" "$RAMPART_KEY" bench 60 1000 4 warm3 >/dev/null & first=$!
loadgen events "$gw2" "$RAMPART_KEY" bench 60 1000 4 warm4 >/dev/null
wait "$first"
settle

echo "== (c) two servers on the same database at once, each given (b)'s load"
mark
loadgen events "$gw1" "$RAMPART_KEY" bench "$EVENT_BATCHES" 1000 "$POSTERS" two1 >"$work/two1.txt" & first=$!
loadgen events "$gw2" "$RAMPART_KEY" bench "$EVENT_BATCHES" 1000 "$POSTERS" two2 >"$work/two2.txt"
wait "$first"
cat "$work/two1.txt" "$work/two2.txt"; cpu_since; statements
two1=$(cat "$work/two1.txt"); two2=$(cat "$work/two2.txt")
uptime

echo "== summary"
awk -v raw="$raw" -v one="$(field events_per_s "$one")" \
    -v e1="$(field events "$two1")" -v s1="$(field seconds "$two1")" -v e2="$(field events "$two2")" -v s2="$(field seconds "$two2")" 'BEGIN {
  two = (e1 + e2) / (s1 > s2 ? s1 : s2)
  printf "(a) raw COPY: %d rows/s\n(b) one server alone: %d events/s = %.0f%% of raw COPY\n", raw, one, 100 * one / raw
  printf "(c) two servers: %d events/s together (%d + %d) = %.0f%% of raw COPY\n", two, e1 / s1, e2 / s2, 100 * two / raw
}'
