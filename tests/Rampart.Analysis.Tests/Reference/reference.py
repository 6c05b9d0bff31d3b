#!/usr/bin/python3
"""Reference values for ReferenceTests.cs, computed independently with SciPy 1.10.1 / statsmodels 0.13.5 / NumPy 1.24.

Run once:  /usr/bin/python3 tests/Rampart.Analysis.Tests/Reference/reference.py > /tmp/expected.cs.txt
It reads reference-events.jsonl (written by ReferenceDataSet.cs), applies the DESIGN §4 definitions from scratch, and
prints one C# line per value: the JSON path in the results document, the value, and the exact call that produced it.
"""
import json, math, os, sys
from datetime import datetime
import numpy as np
import scipy.stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

HERE = os.path.dirname(os.path.abspath(__file__))
VARIANTS = ["control", "variant_a", "variant_b"]
# Units per variant below which the clustered and sequential p-values are null (MinimumUnits.PerVariant, chosen by
# min_units_simulation.py beside this file). Holm then adjusts across the variants that have a p-value.
MIN_UNITS = 50
Z = scipy.stats.norm.ppf(0.975)


def load(skip_exposures=False):
    events = []
    with open(os.path.join(HERE, "reference-events.jsonl"), encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            e = json.loads(line)
            e["_line"] = number
            if skip_exposures and e["type"] == "exposure":
                continue
            events.append(e)
    return events


def ts(e):
    return datetime.fromisoformat(e["ts"].replace("Z", "+00:00"))


def scores(events, score):
    """Per variant: list of (unit, value); the latest feedback per request id wins (by ts, then by line)."""
    latest, loose = {}, {v: [] for v in VARIANTS}
    for e in events:
        if e["type"] != "feedback" or e["score"] != score:
            continue
        if e.get("request_id") is None:
            loose[e["variant"]].append((e["unit"], float(e["value"])))
            continue
        key = (e["variant"], e["request_id"])
        if key not in latest or (ts(e), e["_line"]) > (ts(latest[key]), latest[key]["_line"]):
            latest[key] = e
    out = {v: list(loose[v]) for v in VARIANTS}
    for (v, _), e in latest.items():
        out[v].append((e["unit"], float(e["value"])))
    return out


def per_unit(pairs):
    """Per-unit sums Y and counts N of (unit, value) pairs."""
    sums = {}
    for unit, value in pairs:
        y, n = sums.get(unit, (0.0, 0))
        sums[unit] = (y + value, n + 1)
    y = np.array([s[0] for s in sums.values()])
    n = np.array([s[1] for s in sums.values()], dtype=float)
    return y, n


def delta(y, n):
    """Deng et al. 2018: R = ΣY/ΣN, Var(R) = (var(Y) − 2R·cov(Y,N) + R²·var(N)) / (k·mean(N)²), ddof 1."""
    r = y.sum() / n.sum()
    v = (np.var(y, ddof=1) - 2 * r * np.cov(y, n, ddof=1)[0, 1] + r * r * np.var(n, ddof=1)) / (len(y) * n.mean() ** 2)
    return r, v


class Out:
    def __init__(self, scenario, only=None):
        self.scenario, self.only = scenario, only

    def put(self, path, value, call):
        if self.only and not any(part in path for part in self.only):
            return
        if value is None:
            text = "null"
        elif isinstance(value, (int, np.integer)):
            text = str(int(value))
        else:
            text = repr(float(value))
        print(f'        new("{self.scenario}", "{path}", {text}), // {call}')


def analyse(out, events, primary, binary, weights):
    comp = [e for e in events if e["type"] == "completion"]
    exposures = [e for e in events if e["type"] == "exposure"]
    units = {}
    for v in VARIANTS:
        source = exposures if exposures else comp
        units[v] = len({e["unit"] for e in source if e["variant"] == v})
        what = "exposures" if exposures else "completions"
        out.put(f"variants.{v}.units", units[v], f"len({{e['unit'] for e in {what} if e['variant'] == '{v}'}})")
    obs = np.array([units[v] for v in VARIANTS])
    w = np.array(weights, dtype=float)
    out.put("srm.p_value", scipy.stats.chisquare(obs, w / w.sum() * obs.sum()).pvalue, "scipy.stats.chisquare(units, w / w.sum() * units.sum()).pvalue")

    lat, cost, errs, reqs, lat_units, cost_units, err_units = {}, {}, {}, {}, {}, {}, {}
    for v in VARIANTS:
        c = [e for e in comp if e["variant"] == v]
        ok = [e for e in c if e["error"] is None]
        reqs[v] = len(c)
        errs[v] = len(c) - len(ok)
        lat[v] = np.array([e["latency_ms"] for e in ok])
        cost[v] = np.array([e["cost_usd"] for e in c if e["cost_usd"] is not None])
        lat_units[v] = per_unit([(e["unit"], e["latency_ms"]) for e in ok])
        cost_units[v] = per_unit([(e["unit"], e["cost_usd"]) for e in c if e["cost_usd"] is not None])
        err_units[v] = per_unit([(e["unit"], 0.0 if e["error"] is None else 1.0) for e in c])
        out.put(f"variants.{v}.requests", reqs[v], "len(completions)")
        out.put(f"variants.{v}.errors", errs[v], "sum(e['error'] is not None for e in completions)")
        out.put(f"variants.{v}.error_rate", errs[v] / reqs[v], "errors / requests")
        out.put(f"variants.{v}.latency_ms.mean", lat[v].mean(), "np.mean(latency of successful completions)")
        for q, name in [(50, "p50"), (95, "p95"), (99, "p99")]:
            out.put(f"variants.{v}.latency_ms.{name}", np.percentile(lat[v], q), f"np.percentile(latency, {q})  # type 7")
        out.put(f"variants.{v}.cost_usd.mean", cost[v].mean(), "np.mean(non-null cost_usd)")
        out.put(f"variants.{v}.cost_usd.total", cost[v].sum(), "np.sum(non-null cost_usd)")
        prompt = sum(e["prompt_tokens"] or 0 for e in c)
        completion = sum(e["completion_tokens"] or 0 for e in c)
        out.put(f"variants.{v}.tokens.prompt", prompt, "sum(prompt_tokens)")
        out.put(f"variants.{v}.tokens.completion", completion, "sum(completion_tokens)")
        out.put(f"variants.{v}.tokens.total", prompt + completion, "prompt + completion")

    fb = scores(events, primary)
    other = "helpfulness" if primary == "user_satisfaction" else "user_satisfaction"
    fb_other = scores(events, other)
    for v in VARIANTS:
        vals = np.array([x for _, x in fb[v]])
        out.put(f"variants.{v}.scores.{primary}.n", len(vals), "count after latest-per-request_id dedup")
        out.put(f"variants.{v}.scores.{primary}.mean", vals.mean(), "np.mean(values)")
        vals_other = np.array([x for _, x in fb_other[v]])
        out.put(f"variants.{v}.scores.{other}.n", len(vals_other), "count after latest-per-request_id dedup")
        out.put(f"variants.{v}.scores.{other}.mean", vals_other.mean(), "np.mean(values)")

    metrics = {}
    # primary score
    rows = {}
    for v in VARIANTS:
        vals = np.array([x for _, x in fb[v]])
        rows[v] = dict(vals=vals, units=per_unit(fb[v]), x=vals.sum(), n=len(vals))
    metrics[primary] = ("proportion" if binary else "welch", rows, 0.02 if binary else None)
    metrics["error_rate"] = ("proportion", {v: dict(x=errs[v], n=reqs[v], units=err_units[v]) for v in VARIANTS}, 0.005)
    metrics["latency_ms"] = ("welch", {v: dict(vals=lat[v], units=lat_units[v]) for v in VARIANTS}, None)
    metrics["cost_usd"] = ("welch", {v: dict(vals=cost[v], units=cost_units[v]) for v in VARIANTS}, None)

    for metric, (kind, rows, tau) in metrics.items():
        c = rows["control"]
        results = {}
        for v in VARIANTS[1:]:
            r = rows[v]
            if kind == "proportion":
                mc, mv = c["x"] / c["n"], r["x"] / r["n"]
                table = [[r["x"], r["n"] - r["x"]], [c["x"], c["n"] - c["x"]]]
                p = scipy.stats.chi2_contingency(table, correction=False)[1]
                lo, hi = confint_proportions_2indep(r["x"], r["n"], c["x"], c["n"], method="newcomb", compare="diff")
                pcall = f"scipy.stats.chi2_contingency([[x_v, n_v - x_v], [x_c, n_c - x_c]], correction=False)[1]"
                cicall = "confint_proportions_2indep(x_v, n_v, x_c, n_c, method='newcomb', compare='diff')"
                t = tau
            else:
                mc, mv = c["vals"].mean(), r["vals"].mean()
                p = scipy.stats.ttest_ind(r["vals"], c["vals"], equal_var=False).pvalue
                lo, hi = CompareMeans(DescrStatsW(r["vals"]), DescrStatsW(c["vals"])).tconfint_diff(usevar="unequal")
                pcall = "scipy.stats.ttest_ind(v, c, equal_var=False).pvalue"
                cicall = "CompareMeans(DescrStatsW(v), DescrStatsW(c)).tconfint_diff(usevar='unequal')"
                t = 0.05 * abs(mc)
            r1, v1 = delta(*c["units"])
            r2, v2 = delta(*r["units"])
            se2 = v1 + v2
            pc = 2 * scipy.stats.norm.sf(abs((r2 - r1) / math.sqrt(se2)))
            theta = r2 - r1
            lam = math.sqrt(se2 / (se2 + t * t)) * math.exp(theta * theta * t * t / (2 * se2 * (se2 + t * t)))
            seq = min(1.0, 1 / lam)
            units = (len(c["units"][0]), len(r["units"][0]))
            few = None
            if min(units) < MIN_UNITS:
                pc = seq = None
                few = f"None: {units[0]} units in control, {units[1]} in {v}; fewer than MIN_UNITS = {MIN_UNITS} in one"
            results[v] = dict(diff=mv - mc, lift=(mv - mc) / mc, p=p, lo=lo, hi=hi, pc=pc, seq=seq, pcall=pcall, cicall=cicall, t=t, few=few)
        holm = multipletests([results[v]["p"] for v in VARIANTS[1:]], method="holm")[1]
        tested = [v for v in VARIANTS[1:] if results[v]["pc"] is not None]
        holm_c = dict(zip(tested, multipletests([results[v]["pc"] for v in tested], method="holm")[1])) if tested else {}
        for i, v in enumerate(VARIANTS[1:]):
            r = results[v]
            base = f"variants.{v}.vs_control.{metric}"
            out.put(f"{base}.diff", r["diff"], "mean_v - mean_c")
            out.put(f"{base}.lift", r["lift"], "(mean_v - mean_c) / mean_c")
            out.put(f"{base}.p_value", r["p"], r["pcall"])
            out.put(f"{base}.p_value_holm", holm[i], "multipletests(p_values, method='holm')[1]")
            out.put(f"{base}.p_value_clustered", r["pc"], r["few"] or "2 * scipy.stats.norm.sf(abs(R_v - R_c) / sqrt(delta(Y_c, N_c) + delta(Y_v, N_v)))")
            holm_call = "multipletests(p_clustered, method='holm')[1]" + ("" if len(tested) == len(VARIANTS) - 1 else ", over the non-null p_clustered")
            out.put(f"{base}.p_value_clustered_holm", holm_c.get(v), r["few"] or holm_call)
            out.put(f"{base}.p_value_sequential", r["seq"], r["few"] or f"min(1, 1 / (sqrt(V/(V+t*t)) * exp(d*d*t*t/(2*V*(V+t*t))))), V = delta variance, t = {r['t']!r}")
            out.put(f"{base}.ci95[0]", r["lo"], r["cicall"] + "[0]")
            out.put(f"{base}.ci95[1]", r["hi"], r["cicall"] + "[1]")


if __name__ == "__main__":
    analyse(Out("binary"), load(), "user_satisfaction", True, [50, 25, 25])
    # The same events with helpfulness (1-5) as the primary score: Welch instead of two proportions; no weights: equal ones.
    analyse(Out("continuous", only=["helpfulness", "srm"]), load(), "helpfulness", False, [1, 1, 1])
    # Without exposures, units are counted among completions.
    analyse(Out("no-exposures", only=[".units", "srm"]), load(skip_exposures=True), "user_satisfaction", True, [50, 25, 25])
