#!/usr/bin/env bash
# Gateway and ingestion load figures (docs/benchmarks.md, "Gateway and ingestion (HTTP)"). Not part of ./test.
# Builds Release, starts a zero-delay fake OpenAI upstream and `rampart serve` on loopback, runs bounded loads, stops
# everything and prints the figures. Needs wrk (apt-get install -y wrk). About 90 s.
#   DURATION=10s RATE=500 PACE_SECONDS=20 PACE_ROUNDS=3 EVENT_BATCHES=300 bench/load/run.sh
# POSTGRES=CONNSTRING serves from that PostgreSQL database instead of a fresh SQLite file (bench/load/postgres.sh starts
# a private one); EVENTS_ONLY=1 runs only (c); RESTART_BATCHES=N runs only (d): N batches of 1,000 events (each with
# CONTENT_BYTES of logged input and a quarter of that of output; none by default), a restart, and the time until the
# gateway and the results answer. JUDGES=1 gives the experiment a `sim` judge at sample_rate 1.0 (every call judged off
# the request path, each verdict stored), to compare the gateway's added latency with judging on and off. SHADOW=1 starts
# the experiment at a shadow stage: every call is served by the control on the fake upstream and shadowed, off the
# request path, by variant_a on the `sim` provider at sample_rate 1 (each shadow completion stored), to compare the
# gateway's added latency with shadowing on and off.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
DURATION="${DURATION:-10s}"; RATE="${RATE:-500}"; PACE_SECONDS="${PACE_SECONDS:-20}"; PACE_ROUNDS="${PACE_ROUNDS:-3}"; EVENT_BATCHES="${EVENT_BATCHES:-300}"
JUDGES="${JUDGES:-}"; SHADOW="${SHADOW:-}"; POSTGRES="${POSTGRES:-}"; EVENTS_ONLY="${EVENTS_ONLY:-}"; RESTART_BATCHES="${RESTART_BATCHES:-}"; CONTENT_BYTES="${CONTENT_BYTES:-0}"
UP_PORT="${UP_PORT:-18181}"; GW_PORT="${GW_PORT:-18180}"
source bench/load/lib.sh

bench_build
start_upstream
if [ -n "$POSTGRES" ]; then storage=(--postgres "$POSTGRES"); fi
start_server
wait_up "http://127.0.0.1:$GW_PORT/healthz"
wait_up "http://127.0.0.1:$UP_PORT/"
gw="http://127.0.0.1:$GW_PORT"; up="http://127.0.0.1:$UP_PORT"
auth=(-H "Authorization: Bearer $RAMPART_KEY" -H 'Content-Type: application/json')
judges=""
if [ -n "$JUDGES" ]; then judges=', "judges": [ { "name": "bench", "provider": "sim", "model": "gpt-4o-mini", "sample_rate": 1.0 } ]'; fi
variant_a=""; stages=""
if [ -n "$SHADOW" ]; then
  variant_a='{ "provider": "sim", "model": "gpt-4o-mini", "temperature": 0.8, "system_prompt": "Be warm.", "params": { "sim": { "error_rate": 0 } } }'
  stages='{ "shadow": { "variants": ["variant_a"], "sample_rate": 1.0 } }, { "weights": { "control": 50, "variant_a": 50 } }'
fi
start_experiment "$variant_a" "$stages" "$judges"

echo "== machine"; nproc; uptime
if [ -n "$RESTART_BATCHES" ]; then
  echo "== (d) restart on a history of $RESTART_BATCHES batches of 1,000 events: time until the gateway answers, and until results do"
  dotnet "$load" events "$gw/api/events" "$RAMPART_KEY" bench "$RESTART_BATCHES" 1000 4 ev "$CONTENT_BYTES"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  started=$(date +%s%N)
  start_server
  wait_up "$gw/healthz"
  echo "healthz: $(curl -s "$gw/healthz")"
  curl -sf -o /dev/null "${auth[@]}" "$gw/v1/chat/completions" -d '{"model":"experiment:bench","user":"u1","messages":[{"role":"user","content":"hi"}]}'
  gateway=$(date +%s%N)
  curl -sf -o /dev/null "${auth[@]}" "$gw/api/experiments/bench/results"
  results=$(date +%s%N)
  echo "after the restart: gateway answered at $(( (gateway - started) / 1000000 )) ms, results at $(( (results - started) / 1000000 )) ms"
  echo "healthz: $(curl -s "$gw/healthz")"
  exit 0
fi
if [ -n "$EVENTS_ONLY" ]; then
  echo "== (c) /api/events, $EVENT_BATCHES batches of 1,000 JSON Lines, 4 concurrent posters ($([ -n "$POSTGRES" ] && echo PostgreSQL || echo SQLite))"
  dotnet "$load" events "$gw/api/events" "$RAMPART_KEY" bench 60 1000 4 warm >/dev/null   # warm-up: other ids, same path
dotnet "$load" events "$gw/api/events" "$RAMPART_KEY" bench "$EVENT_BATCHES" 1000 4
  uptime
  exit 0
fi
echo "== warm-up (3 s through the gateway, 3 s direct)"
wrk -t2 -c32 -d3s -s bench/load/chat.lua "$gw/v1/chat/completions" >/dev/null
wrk -t2 -c32 -d3s -s bench/load/chat.lua "$up/v1/chat/completions" >/dev/null
echo "== (a) throughput through the gateway: wrk -t2 -c32 -d$DURATION -s bench/load/chat.lua $gw/v1/chat/completions"
# The runtime's counters on /metrics before and after: the server's CPU time and allocated bytes per call.
runtime() { curl -s "${auth[@]}" "$gw/metrics" | awk '/^dotnet_gc_heap_total_allocated_bytes_total/ {a=$NF} /^dotnet_process_cpu_time_seconds_total/ {c+=$NF} END {printf "%s %s", a, c}'; }
read -r alloc0 cpu0 <<<"$(runtime)"
wrk -t2 -c32 -d"$DURATION" --latency -s bench/load/chat.lua "$gw/v1/chat/completions" | tee "$work/wrk-gw.txt"
read -r alloc1 cpu1 <<<"$(runtime)"
calls=$(awk '/requests in/ {print $1}' "$work/wrk-gw.txt")
per_call="$(awk -v a0="$alloc0" -v a1="$alloc1" -v c0="$cpu0" -v c1="$cpu1" -v n="$calls" 'BEGIN {printf "server CPU per call: %.1f µs; allocated per call: %.0f bytes (%d calls)", (c1 - c0) * 1e6 / n, (a1 - a0) / n, n}')"
echo "$per_call"
echo "== (a') the upstream alone: wrk -t2 -c32 -d$DURATION -s bench/load/chat.lua $up/v1/chat/completions"
wrk -t2 -c32 -d"$DURATION" --latency -s bench/load/chat.lua "$up/v1/chat/completions" | tee "$work/wrk-up.txt"
uptime
echo "== (b) latency at a fixed $RATE req/s for $PACE_SECONDS s, upstream direct and through the gateway interleaved, $PACE_ROUNDS rounds"
# Interleaved (direct, gateway, direct, …) so both see the same moments of a shared 2-core machine; two separate runs
# differ by more than the gateway adds (their direct p99 alone moved between 3.2 and 5.5 ms). Each latency is taken
# twice: from the request's planned start (the load generator's own lateness included) and from its sending.
dotnet "$load" pace "$gw/v1/chat/completions" "$RAMPART_KEY" "$RATE" 5 >/dev/null
pairs=()
for round in $(seq 1 "$PACE_ROUNDS"); do
  pairs+=("$(dotnet "$load" pair "$up/v1/chat/completions" "$gw/v1/chat/completions" "$RAMPART_KEY" "$RATE" "$PACE_SECONDS")")
  echo "round $round: ${pairs[-1]}"
done
echo "== (c) /api/events, $EVENT_BATCHES batches of 1,000 JSON Lines, 4 concurrent posters"
dotnet "$load" events "$gw/api/events" "$RAMPART_KEY" bench 60 1000 4 warm >/dev/null   # warm-up: other ids, same path
dotnet "$load" events "$gw/api/events" "$RAMPART_KEY" bench "$EVENT_BATCHES" 1000 4
uptime
if [ -n "$JUDGES" ]; then
  echo "== judges"
  curl -s "${auth[@]}" "$gw/metrics" | grep -E '^rampart_judge_(verdicts|skipped|failures)_total' || true
fi

if [ -n "$SHADOW" ]; then
  echo "== shadow"
  curl -s "${auth[@]}" "$gw/metrics" | grep -E '^rampart_shadow_(calls|skipped|failures)_total' || true
fi

pct() { sed -E "s/.* $1=(-?[0-9]+).*/\1/" <<<"$2"; }
echo "== summary"
non2xx() { grep -o 'Non-2xx or 3xx responses: [0-9]*' "$1" | awk '{print $NF}' || echo 0; }
echo "gateway throughput: $(awk '/Requests\/sec/ {print $2}' "$work/wrk-gw.txt") req/s (non-2xx: $(non2xx "$work/wrk-gw.txt")); upstream alone: $(awk '/Requests\/sec/ {print $2}' "$work/wrk-up.txt") req/s"
echo "$per_call"
for pair in "${pairs[@]}"; do echo "added latency at $RATE req/s: p50 $(pct added_p50_us "$pair") µs, p99 $(pct added_p99_us "$pair") µs; from sending: p50 $(pct sent_added_p50_us "$pair") µs, p99 $(pct sent_added_p99_us "$pair") µs"; done
