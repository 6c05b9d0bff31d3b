#!/usr/bin/env bash
# Side by side with a peer gateway (docs/benchmarks.md, "Side by side with a peer gateway"). Not part of ./test.
# Installs Portkey's open-source gateway from npm into a temp folder, starts one zero-delay fake OpenAI upstream (a
# small Node server, bench/peers/upstream.js; UPSTREAM=dotnet for bench/load's .NET one),
# Portkey (a two-target load balance onto it) and `rampart serve` (Release, SQLite, the running two-variant experiment
# `bench` onto it; bench/load/lib.sh), checks one request through each, then runs the same wrk load (bench/load/chat.lua)
# against the three in turn — upstream, Portkey, Rampart — for ROUNDS rounds, and prints req/s, p50, p99 and the ratios.
# If Portkey cannot be installed, started or answer 200, it says so and measures the upstream and Rampart alone.
# Needs wrk and, for Portkey, node and npm with the npm registry reachable. About 2 minutes with the defaults:
#   DURATION=10s CONNECTIONS=32 THREADS=2 ROUNDS=2 WARMUP=3s PORTKEY_VERSION=1.15.2 bench/peers/run.sh
# Ports: UP_PORT=18281 (upstream), GW_PORT=18280 (Rampart), PK_PORT=18282 (Portkey).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
DURATION="${DURATION:-10s}"; CONNECTIONS="${CONNECTIONS:-32}"; THREADS="${THREADS:-2}"; ROUNDS="${ROUNDS:-2}"; WARMUP="${WARMUP:-3s}"
PORTKEY_VERSION="${PORTKEY_VERSION:-1.15.2}"
UP_PORT="${UP_PORT:-18281}"; GW_PORT="${GW_PORT:-18280}"; PK_PORT="${PK_PORT:-18282}"
unset PORTKEY_CONFIG   # only Portkey's runs get it
source bench/load/lib.sh

bench_build
# The zero-delay upstream: a small Node server by default, as issue 19's side-by-side measurement had it
# (bench/peers/upstream.js); UPSTREAM=dotnet uses bench/load's .NET one (a little faster alone; docs/benchmarks.md).
UPSTREAM="${UPSTREAM:-node}"
if [ "$UPSTREAM" = node ]; then
  command -v node >/dev/null || { echo "UPSTREAM=node needs node (apt-get install -y nodejs); or set UPSTREAM=dotnet" >&2; exit 1; }
  port_free "$UP_PORT"
  node bench/peers/upstream.js "$UP_PORT" >"$work/upstream.log" 2>&1 & pids+=($!)
else
  start_upstream
fi
start_server
wait_up "http://127.0.0.1:$UP_PORT/"
wait_up "http://127.0.0.1:$GW_PORT/healthz"
start_experiment
up="http://127.0.0.1:$UP_PORT/v1/chat/completions"; gw="http://127.0.0.1:$GW_PORT/v1/chat/completions"; pk="http://127.0.0.1:$PK_PORT/v1/chat/completions"

# Portkey's nearest thing to a two-variant experiment: a 50/50 load balance over two targets, both the fake upstream.
target='{"provider":"openai","custom_host":"http://127.0.0.1:'"$UP_PORT"'/v1","api_key":"x","weight":0.5}'
portkey_config='{"strategy":{"mode":"loadbalance"},"targets":['"$target,$target"']}'
portkey_missing=""   # why Portkey is not measured; empty when it is
start_portkey() {
  command -v npm >/dev/null && command -v node >/dev/null || { portkey_missing="node and npm are not installed"; return; }
  mkdir "$work/portkey"
  if ! (cd "$work/portkey" && npm install --no-audit --no-fund "@portkey-ai/gateway@$PORTKEY_VERSION") >"$work/npm.log" 2>&1; then
    portkey_missing="npm install @portkey-ai/gateway@$PORTKEY_VERSION failed: $(tail -n 3 "$work/npm.log" | tr '\n' ' ')"; return
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PK_PORT") 2>/dev/null; then portkey_missing="port $PK_PORT is in use (set PK_PORT)"; return; fi
  # The package's bin; --port=N is its only port setting, --headless leaves out the console UI and its log stream.
  node "$work/portkey/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$PK_PORT" --headless >"$work/portkey.log" 2>&1 & pids+=($!)
  local pid=$!
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "http://127.0.0.1:$PK_PORT/" && return
    kill -0 "$pid" 2>/dev/null || { portkey_missing="Portkey exited at start: $(tail -c 300 "$work/portkey.log")"; return; }
    sleep 0.1
  done
  portkey_missing="Portkey did not answer on port $PK_PORT within 30 s"
}
start_portkey

# One request through each, with chat.lua's headers and body, before anything is measured.
check() { # name url [header]
  local name=$1 url=$2 code; shift 2
  code=$(curl -s -o "$work/check-$name.json" -w '%{http_code}' "$url" "$@" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $RAMPART_KEY" -d '{"model":"experiment:bench","user":"user-1","messages":[{"role":"user","content":"Where is my order?"}]}') || code=000
  if [ "$code" = 200 ] && grep -q '"chat.completion"' "$work/check-$name.json"; then return 0; fi
  echo "$name answered $code: $(head -c 300 "$work/check-$name.json" 2>/dev/null)" >&2; return 1
}
check upstream "$up" || { echo "the fake upstream does not answer; stopping" >&2; exit 1; }
check rampart "$gw" || { echo "Rampart does not answer; stopping (log: $(tail -c 500 "$work/server.log"))" >&2; exit 1; }
if [ -z "$portkey_missing" ] && ! check portkey "$pk" -H "x-portkey-config: $portkey_config"; then
  portkey_missing="Portkey did not answer 200 with a chat.completion through its config"
fi
targets=(upstream rampart); [ -z "$portkey_missing" ] && targets=(upstream portkey rampart)

url_of() { case $1 in upstream) echo "$up";; portkey) echo "$pk";; rampart) echo "$gw";; esac; }
# Runs wrk against one target; PORTKEY_CONFIG (chat.lua's extra header) only for Portkey.
run_wrk() { # name duration output [--latency]
  local env=(); [ "$1" = portkey ] && env=(PORTKEY_CONFIG="$portkey_config")
  env "${env[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" ${4:-} -s bench/load/chat.lua "$(url_of "$1")" >"$3"
}
# wrk --latency output → "req/s p50_ms p99_ms non-2xx socket_errors"
figures() {
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; if (v ~ /m$/) return v * 60000; return v }
       /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
       /Non-2xx or 3xx responses:/ { bad = $NF }
       /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
       END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, bad, errors }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "n/a" }'; }

echo "== upstream: $([ "$UPSTREAM" = node ] && echo "Node $(node --version) (bench/peers/upstream.js)" || echo ".NET (Rampart.Load upstream)") at $up"
echo "== machine: $(nproc) cores; $(uptime | sed 's/.*load/load/'); node $(node --version 2>/dev/null || echo none); $(dotnet --version | sed 's/^/.NET SDK /')"
if [ -n "$portkey_missing" ]; then
  echo "== PORTKEY NOT MEASURED: $portkey_missing"
  echo "   (measuring the upstream and Rampart only)"
else
  echo "== Portkey $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$work/portkey/node_modules/@portkey-ai/gateway/package.json") (node, --headless) at $pk; x-portkey-config: $portkey_config"
fi
echo "== Rampart (rampart serve, SQLite) at $gw, experiment bench running (control/variant_a 50/50 on the upstream)"
echo "== warm-up: $WARMUP against each"
for t in "${targets[@]}"; do run_wrk "$t" "$WARMUP" /dev/null; done
echo "== load: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/load/chat.lua, $ROUNDS rounds of ${targets[*]}"
summary=()
for round in $(seq 1 "$ROUNDS"); do
  declare -A rps=()
  echo
  printf '%-9s %10s %9s %9s %8s %8s   round %s, %s\n' target req/s "p50 ms" "p99 ms" non-2xx errors "$round" "$(uptime | sed 's/.*load average: //')"
  for t in "${targets[@]}"; do
    run_wrk "$t" "$DURATION" "$work/wrk-$t-$round.txt" --latency
    read -r r p50 p99 bad errors < <(figures "$work/wrk-$t-$round.txt")
    rps[$t]=$r
    printf '%-9s %10s %9s %9s %8s %8s\n' "$t" "$r" "$p50" "$p99" "$bad" "$errors"
  done
  line="round $round: Rampart/upstream req/s $(ratio "${rps[rampart]}" "${rps[upstream]}")"
  if [ -z "$portkey_missing" ]; then line="$line; Rampart/Portkey req/s $(ratio "${rps[rampart]}" "${rps[portkey]}")"; fi
  echo "$line"; summary+=("$line")
done
echo
echo "== summary ($(uptime | sed 's/.*load/load/'))"
printf '%s\n' "${summary[@]}"
[ -z "$portkey_missing" ] || echo "Portkey was NOT measured: $portkey_missing"
