#!/usr/bin/env python3
"""Writes N lines of seed-like events (DESIGN §3) for the analysis benchmark:
    python3 bench/Rampart.Benchmarks/Analysis/generate-events.py 1000000 > /tmp/events-1m.jsonl
Per unit: one exposure, 1-3 completions (2% failed, latency around 900-1100 ms, cost, tokens, short input/output) and
satisfaction feedback for 70% of them; variants split 80/10/10. Seeded, so every run writes the same file."""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
rng = random.Random(42)
out = sys.stdout
written, unit = 0, 0
variants = [("control", 900.0, 0.75), ("variant_a", 1000.0, 0.80), ("variant_b", 1100.0, 0.74)]
while written < n:
    r = rng.random()
    name, median, sat = variants[0] if r < 0.8 else variants[1] if r < 0.9 else variants[2]
    s = unit % 86400
    ts = f"2026-11-{1 + (unit // 86400) % 28:02d}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z"
    common = f'"experiment":"prompt-opt-v2","variant":"{name}","unit":"user-{unit}","ts":"{ts}"'
    lines = [f'{{"type":"exposure",{common}}}']
    for j in range(rng.randint(1, 3)):
        failed = rng.random() < 0.02
        latency = round(median * rng.lognormvariate(0, 0.4), 1)
        prompt, completion = rng.randint(80, 160), rng.randint(40, 160)
        cost = round((prompt * 0.03 + completion * 0.06) / 1000, 6)
        error = '"upstream timeout"' if failed else "null"
        lines.append(f'{{"type":"completion",{common},"request_id":"r-{unit}-{j}","latency_ms":{latency},"ttft_ms":{round(latency * 0.3, 1)},'
                     f'"prompt_tokens":{prompt},"completion_tokens":{completion},"cost_usd":{cost},"error":{error},"model":"gpt-4",'
                     f'"input":"Where is my order?","output":"It ships today."}}')
        if not failed and rng.random() < 0.7:
            value = 1 if rng.random() < sat else 0
            lines.append(f'{{"type":"feedback",{common},"request_id":"r-{unit}-{j}","score":"user_satisfaction","value":{value}}}')
    for line in lines[: n - written]:
        out.write(line + "\n")
    written += min(len(lines), n - written)
    unit += 1
