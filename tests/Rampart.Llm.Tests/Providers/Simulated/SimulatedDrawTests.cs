using Rampart.Llm.Providers.Simulated;

namespace Rampart.Llm.Tests.Providers.Simulated;

public sealed class SimulatedDrawTests
{
    private static readonly SimulationOptions Shared = new() { LatencySigma = 0.3, RequestSigma = 0.8 };

    [Fact]
    public void Make_SameRequestKey_SharesTheRequestFactorOnly()
    {
        var sim = Shared with { LatencySigma = 0 };

        var served = SimulatedDraw.Make(1, sim, "req-1");
        var shadow = SimulatedDraw.Make(2, sim with { LatencyMsMedian = 1600 }, "req-1");
        var other = SimulatedDraw.Make(1, sim, "req-2");

        // Without a per-call part the two answers of a request differ only by their medians; another request does not.
        Assert.Equal(2, shadow.LatencyMs / served.LatencyMs, 12);
        Assert.Equal(2, shadow.TtftMs / served.TtftMs, 12);
        Assert.NotEqual(served.LatencyMs, other.LatencyMs);
        Assert.NotEqual(800, served.LatencyMs);
    }

    [Fact]
    public void Make_RequestSigmaZero_KeyChangesNothing()
    {
        var sim = Shared with { RequestSigma = 0 };

        for (var seed = 0UL; seed < 100; seed++)
        {
            Assert.Equal(SimulatedDraw.Make(seed, sim), SimulatedDraw.Make(seed, sim, $"req-{seed}"));
        }
    }

    [Fact]
    public void Make_RequestSigma_OnlyTheLatencyMoves()
    {
        for (var seed = 0UL; seed < 100; seed++)
        {
            var without = SimulatedDraw.Make(seed, Shared with { RequestSigma = 0 });
            var with = SimulatedDraw.Make(seed, Shared, $"req-{seed}");
            Assert.Equal((without.Failed, without.Satisfied), (with.Failed, with.Satisfied));
        }
    }

    [Fact]
    public void Make_20000Pairs_LogLatenciesCorrelateAsTheSharedVarianceSays()
    {
        const int Pairs = 20_000;
        var served = new double[Pairs];
        var shadow = new double[Pairs];
        for (var i = 0; i < Pairs; i++)
        {
            var key = $"req-{i}";
            served[i] = Math.Log(SimulatedDraw.Make((ulong)(2 * i), Shared, key).LatencyMs);
            shadow[i] = Math.Log(SimulatedDraw.Make((ulong)((2 * i) + 1), Shared, key).LatencyMs);
        }

        // Each log latency has variance 0.8² + 0.3² = 0.73, of which 0.64 is shared: correlation 0.64/0.73 = 0.877.
        // With 20,000 pairs the sample SD and correlation are within a few hundredths of that.
        Assert.Equal(Math.Sqrt(0.73), Sd(served), 0.02);
        Assert.Equal(0.64 / 0.73, Correlation(served, shadow), 0.02);
    }

    private static double Sd(double[] x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
    }

    private static double Correlation(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        var sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }
}
