#!/usr/bin/env bash
# The CPU an idle `rampart serve` spends with large stored definitions: creates COUNT (default 1) running experiments of
# ~4.2 MB each (docs/examples/prompt-opt-v2-sim.json with 34,000 few-shot turns in the control's params), starts the
# server, waits 20 s, then reads its utime+stime from /proc over 30 s. With POSTGRES (an Npgsql connection string to an
# empty database) the experiments go there and the CPU of that database's backends is reported too. RAMPART is the
# command to run (default ./rampart; e.g. RAMPART="dotnet /tmp/main-build/rampart.dll" for another build). Linux only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"; port=${PORT:-5096}; count=${COUNT:-1}
read -r -a rampart <<<"${RAMPART:-$root/rampart}"
if [ -n "${POSTGRES:-}" ]; then store=(--postgres "$POSTGRES"); else store=(--db "$work/r.db"); fi
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
server=
for i in $(seq 1 "$count"); do
  python3 - "$root/docs/examples/prompt-opt-v2-sim.json" "$work/big.json" "big-$i" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["key"] = sys.argv[3]
d["variants"]["control"]["params"]["few_shot"] = [
    {"role": "user" if i % 2 == 0 else "assistant",
     "content": f"Example turn {i}: the customer asks about order {i * 7919 % 100000} and the agent answers politely."}
    for i in range(34000)]
open(sys.argv[2], "w").write(json.dumps(d))
PY
  "${rampart[@]}" experiments create -f "$work/big.json" "${store[@]}" >/dev/null
  "${rampart[@]}" rollout start "big-$i" "${store[@]}" >/dev/null
done
echo "$count definition(s) of $(stat -c %s "$work/big.json") bytes"
"${rampart[@]}" serve "${store[@]}" --urls "http://127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
sleep 20
ticks() { local t=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
database=$([ -n "${POSTGRES:-}" ] && sed -n 's/.*Database=\([^;]*\).*/\1/p' <<<"$POSTGRES" || true)
backends=$([ -n "$database" ] && pgrep -f "postgres: .* $database " || true)
s0=$(ticks "$server"); b0=$(ticks $backends)
sleep 30
s1=$(ticks "$server"); b1=$(ticks $backends)
awk -v s=$((s1 - s0)) -v b=$((b1 - b0)) -v k="$(getconf CLK_TCK)" -v pg="${database:-}" 'BEGIN {
  printf "server: %.2f s of CPU in 30 s (%.1f%% of a core)\n", s / k, 100 * s / k / 30
  if (pg != "") printf "postgres backends of %s: %.2f s (%.1f%% of a core)\n", pg, b / k, 100 * b / k / 30 }'
