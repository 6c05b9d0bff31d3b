# Sourced, not run: the pieces bench/load/run.sh and bench/peers/run.sh share. Builds nothing on sourcing; gives a temp
# folder ($work) and a list of processes ($pids) both removed on exit, the zero-delay fake OpenAI upstream, `rampart
# serve` and the running two-variant experiment `bench` in front of it. Expects $root (the repository).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export RAMPART_KEY="rpk_bench-admin-key-0123456789abcdef"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

work="$(mktemp -d)"; pids=()
bench_cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap bench_cleanup EXIT

# Sets $rampart and $load to the Release builds of the CLI and of bench/Rampart.Load.
bench_build() {
  dotnet build -c Release -v q --nologo "$root/src/Rampart.Cli" >/dev/null
  dotnet build -c Release -v q --nologo "$root/bench/Rampart.Load" >/dev/null
  rampart="$root/src/Rampart.Cli/bin/Release/net10.0/rampart.dll"
  load="$root/bench/Rampart.Load/bin/Release/net10.0/Rampart.Load.dll"
}

wait_up() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

# Stops at once if something already listens on the port: wait_up would otherwise measure someone else's server.
port_free() { if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then echo "port $1 is in use; set another (see the script's header)" >&2; exit 1; fi; }

# The fake upstream on UP_PORT: reads the request, answers a fixed 300-byte chat.completion.
start_upstream() {
  port_free "$UP_PORT"
  dotnet "$load" upstream "http://127.0.0.1:$UP_PORT" >"$work/upstream.log" 2>&1 & pids+=($!)
}

# `rampart serve` on GW_PORT with the provider `up` (type openai) at the fake upstream; SQLite in $work unless the
# caller set $storage (e.g. --postgres CONNSTRING). Called again after a kill, it restarts on the same data.
start_server() {
  [ -f "$work/rampart.json" ] || cat >"$work/rampart.json" <<JSON
{ "providers": { "up": { "type": "openai", "base_url": "http://127.0.0.1:$UP_PORT/v1" } },
  "gateway": { "default_provider": "up" },
  "Logging": { "LogLevel": { "Default": "Warning" } } }
JSON
  [ -n "${storage+x}" ] || storage=(--db "$work/rampart.db")
  port_free "$GW_PORT"
  (cd "$work" && RAMPART_ADMIN_KEY="$RAMPART_KEY" exec dotnet "$rampart" serve --urls "http://127.0.0.1:$GW_PORT" --config "$work/rampart.json" "${storage[@]}") >>"$work/server.log" 2>&1 & pids+=($!)
}

# Creates and starts the experiment `bench`: control and variant_a 50/50 on `up`, content not logged. Optional
# arguments replace variant_a's JSON, the stages' JSON and add judges (a JSON fragment starting with a comma).
start_experiment() {
  local variant_a='{ "provider": "up", "model": "bench-large", "temperature": 0.8, "system_prompt": "Be warm." }'
  local stages='{ "weights": { "control": 50, "variant_a": 50 } }' judges="${3:-}"
  variant_a="${1:-$variant_a}"; stages="${2:-$stages}"
  local gw="http://127.0.0.1:$GW_PORT" auth=(-H "Authorization: Bearer $RAMPART_KEY" -H 'Content-Type: application/json')
  curl -sf "${auth[@]}" "$gw/api/experiments" -d '{ "key": "bench", "control": "control",
    "variants": { "control":   { "provider": "up", "model": "bench-small", "temperature": 0.2, "system_prompt": "Be concise." },
                  "variant_a": '"$variant_a"' },
    "stages": [ '"$stages"' ], "logging": { "content": "none" }'"$judges"' }' >/dev/null
  curl -sf "${auth[@]}" -X POST "$gw/api/experiments/bench/start" >/dev/null
}

# A private PostgreSQL 15 on 127.0.0.1 with durable settings, stopped and removed on exit; sets $pg_connection, $pg_port,
# $pg_data, $pg_as and psql_pg. Arguments are added to the server's settings (e.g. -c shared_preload_libraries=…). As
# root it runs as the postgres user. A port nobody listens on can still be taken (the local end of a recent outgoing
# connection, in TIME-WAIT), so the next one is tried when the start fails.
start_private_postgres() {
  local pg_bin=/usr/lib/postgresql/15/bin attempt
  [ -x "$pg_bin/pg_ctl" ] || { echo "PostgreSQL 15 is needed: apt-get install -y postgresql" >&2; exit 1; }
  pg_data="$(mktemp -d)"   # not under $work: the postgres user cannot enter a folder only root may
  pg_as=(); if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg_data"; pg_as=(runuser -u postgres --); fi
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 >/dev/null
  pg_port=55632
  for attempt in $(seq 1 20); do
    while (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w start -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1 $*" >/dev/null && break
    if [ "$attempt" = 20 ]; then tail -5 "$pg_data/server.log" >&2; rm -rf "$pg_data"; exit 1; fi
    pg_port=$((pg_port + 1))
  done
  trap '"${pg_as[@]}" '"$pg_bin"'/pg_ctl -D "$pg_data" -m fast stop >/dev/null; rm -rf "$pg_data"; bench_cleanup' EXIT
  pg_connection="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  psql_pg() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "$@"; }
}
