#!/usr/bin/env bash
# Times the dashboard's API calls on an experiment of 300,000 stored events (100,000 units over 7 days): imports them into
# a fresh SQLite file, starts `rampart serve` on 127.0.0.1, and asks each endpoint a few times. Needs python3 and curl.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"; port=${PORT:-5094}
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
python3 "$root/bench/dashboard/events.py"
"$root/rampart" experiments create -f "$root/docs/examples/prompt-opt-v2.json" --db r.db >/dev/null
"$root/rampart" rollout start prompt-opt-v2 --db r.db >/dev/null
"$root/rampart" import events.jsonl --db r.db
RAMPART_ADMIN_KEY=rpk_bench-admin-key-0123456789abcdef "$root/rampart" serve --db r.db --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 1; done
key="Authorization: Bearer rpk_bench-admin-key-0123456789abcdef"
for path in results latency timeline timeline timeline "timeline?points=1024"; do
  curl -s -o /dev/null -w "GET /api/experiments/prompt-opt-v2/$path  %{http_code}  %{time_total}s\n" -H "$key" "http://127.0.0.1:$port/api/experiments/prompt-opt-v2/$path"
done
