#!/usr/bin/python3
"""A/A simulation behind MinimumUnits.PerVariant (src/Rampart.Analysis/Comparisons/MinimumUnits.cs).

The clustered p-value is a large-sample z-test on the delta-method variance, and the mSPRT p-value uses the same
variance; with few units the variance is underestimated and both reject too often. This measures how often, in A/A
experiments (no true difference), each rejects at alpha = 0.05 with n units per variant, for the two metric shapes
Rampart compares by the delta method:
  binary   a 0/1 score per request, unit-level rate ~ Beta(3.5, 1.5) (mean 0.7, heterogeneous units), mSPRT tau = 0.02
  latency  lognormal per request, unit-level log-mean ~ N(ln 800, 0.5), sigma 0.8, mSPRT tau = 5% of the control's mean
Each unit sends a geometric number of requests, mean 4 (at least 1). The minimum is the smallest n at which the
clustered rejection rate of both shapes is within about one point of alpha. Output of the default run:

  binary    3: clustered 19.29%, sequential 1.03%     latency    3: clustered 19.06%, sequential 0.74%
  binary    5: 13.57%, 0.11%                          latency    5: 12.99%, 0.12%
  binary   10:  9.67%, 0.00%                          latency   10:  8.79%, 0.01%
  binary   20:  7.43%, 0.00%                          latency   20:  6.70%, 0.00%
  binary   30:  6.76%, 0.00%                          latency   30:  6.39%, 0.00%
  binary   50:  6.01%, 0.00%                          latency   50:  5.64%, 0.00%
  binary  100:  5.56%, 0.00%                          latency  100:  5.37%, 0.00%
  binary  200:  5.14%, 0.00%                          latency  200:  5.13%, 0.00%

At 3 units per variant 0.7% of binary runs have zero variance in both groups (no p-value) and are left out of the rates.
The single-look mSPRT stays below alpha at every size here (its tau is small against these standard errors), but it
rests on the same underestimated variance, so Rampart withholds it below the minimum too.

Run:  /usr/bin/python3 tests/Rampart.Analysis.Tests/Reference/min_units_simulation.py [runs per row, default 100000]  (about a minute)
NumPy 1.24 / SciPy 1.10 (Debian's python3-numpy, python3-scipy); seeded, so the output is the same on every run.
"""
import sys
import numpy as np
from scipy.stats import norm

ALPHA = 0.05
SIZES = [3, 5, 10, 20, 30, 50, 100, 200]
CHUNK = 2000


def requests(rng, runs, n):
    return rng.geometric(0.25, size=(runs, n)).astype(float)  # 1, 2, 3, …; mean 4


def binary(rng, runs, n):
    counts = requests(rng, runs, n)
    rates = rng.beta(3.5, 1.5, size=(runs, n))
    return rng.binomial(counts.astype(np.int64), rates).astype(float), counts


def latency(rng, runs, n):
    counts = requests(rng, runs, n)
    log_means = rng.normal(np.log(800), 0.5, size=(runs, n))
    flat = counts.astype(np.int64).ravel()
    draws = rng.lognormal(np.repeat(log_means.ravel(), flat), 0.8)
    starts = np.concatenate(([0], np.cumsum(flat)[:-1]))
    return np.add.reduceat(draws, starts).reshape(runs, n), counts


def delta(sums, counts):
    """Per row: R = ΣY/ΣN and Var(R) = var(Y − R·N, ddof 1) / (n·N̄²), the delta method of Deng et al. 2018."""
    n = sums.shape[1]
    ratio = sums.sum(axis=1) / counts.sum(axis=1)
    residual = sums - ratio[:, None] * counts
    return ratio, residual.var(axis=1, ddof=1) / (n * counts.mean(axis=1) ** 2)


def rejections(shape, n, runs, rng):
    draw, tau_of = {
        "binary": (binary, lambda control: np.full_like(control, 0.02)),
        "latency": (latency, lambda control: 0.05 * np.abs(control)),
    }[shape]
    clustered = sequential = valid = 0
    for start in range(0, runs, CHUNK):
        size = min(CHUNK, runs - start)
        r1, v1 = delta(*draw(rng, size, n))
        r2, v2 = delta(*draw(rng, size, n))
        variance = v1 + v2
        ok = variance > 0  # zero variance in both groups: no p-value, as in Rampart
        d, variance, tau2 = (r2 - r1)[ok], variance[ok], tau_of(r1)[ok] ** 2
        p = 2 * norm.sf(np.abs(d) / np.sqrt(variance))
        log_ratio = 0.5 * np.log(variance / (variance + tau2)) + d * d * tau2 / (2 * variance * (variance + tau2))
        clustered += np.count_nonzero(p < ALPHA)
        sequential += np.count_nonzero(-log_ratio <= np.log(ALPHA))  # 1/Λ ≤ α
        valid += d.size
    return clustered / valid, sequential / valid, valid


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    print(f"A/A rejection rate at alpha = {ALPHA}, {runs} runs per row (Monte Carlo s.e. about {100 * np.sqrt(ALPHA * (1 - ALPHA) / runs):.2f} points)")
    print(f"{'shape':8} {'units/variant':>13} {'clustered':>10} {'sequential':>11}")
    for shape in ["binary", "latency"]:
        rng = np.random.default_rng(20261)
        for n in SIZES:
            clustered, sequential, valid = rejections(shape, n, runs, rng)
            print(f"{shape:8} {n:13d} {100 * clustered:9.2f}% {100 * sequential:10.2f}%" + ("" if valid == runs else f"  ({runs - valid} runs without variance)"), flush=True)
