# 100,000 units over 7 days on the demo experiment (docs/examples/prompt-opt-v2.json): an exposure, a completion and
# a rating each, 300,000 events in events.jsonl. Used by run.sh.
import json, random
random.seed(1)
variants = [("control", 0.78), ("variant_a", 0.83), ("variant_b", 0.74)]
with open("events.jsonl", "w") as f:
    for u in range(100_000):
        ts_s = u * 7 * 86400 / 100_000
        d = 1 + int(ts_s // 86400); rem = ts_s % 86400
        ts = "2026-11-%02dT%02d:%02d:%02dZ" % (d, rem // 3600, (rem % 3600) // 60, rem % 60)
        r = random.random()
        v, sat = variants[0] if r < 0.6 else variants[1] if r < 0.8 else variants[2]
        unit = f"user-{u}"; rid = f"r-{u}"
        f.write(json.dumps({"type": "exposure", "experiment": "prompt-opt-v2", "variant": v, "unit": unit, "ts": ts}) + "\n")
        f.write(json.dumps({"type": "completion", "experiment": "prompt-opt-v2", "variant": v, "unit": unit, "request_id": rid, "ts": ts,
                            "latency_ms": random.lognormvariate(7, 0.4), "cost_usd": 0.008, "error": None}) + "\n")
        f.write(json.dumps({"type": "feedback", "experiment": "prompt-opt-v2", "variant": v, "unit": unit, "request_id": rid, "ts": ts,
                            "score": "user_satisfaction", "value": 1 if random.random() < sat else 0}) + "\n")
