using System.Globalization;
using System.Runtime.InteropServices;
using Rampart.Llm.Providers.Simulated;
using Rampart.Stats.Descriptive;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Paired;

namespace Rampart.Simulation.Tests;

/// <summary>
/// How many requests per variant a paired comparison (shadow stage) and a split comparison (two independent samples) need
/// to detect the same change, on the simulated provider's draws (docs/shadow.md, "How many requests pairing saves").
/// Each run feeds requests to both designs and looks every <see cref="Every"/> requests per variant at a fixed α of 5%
/// (repeated fixed-threshold looks: for comparing sample sizes, not an always-valid test); a run that never detects by
/// <see cref="Limit"/> counts as <see cref="Limit"/>.
/// </summary>
public sealed class PairedPowerTests(ITestOutputHelper output)
{
    private const int Every = 5;
    private const int NullHorizon = 2_000;
    private const int Limit = 20_000;
    private const double OneSidedZ = 1.6448536269514722; // scipy.stats.norm.ppf(0.95)

    private static readonly SimulationOptions Control = new() { LatencyMsMedian = 800, LatencySigma = 0.3, RequestSigma = 0.8, ErrorRate = 0 };

    [Fact]
    public void Latency_20PercentSlower_PairedNeedsAThirdOfTheSplitRequestsOrFewer()
    {
        var variant = Control with { LatencyMsMedian = 960 };
        var runs = Runs.Each(Runs.Count(1000), seed => (Paired: PairedLatency(seed, Control, variant), Split: SplitLatency(seed, Control, variant)));

        var paired = Summary(runs.Select(r => r.Paired));
        var split = Summary(runs.Select(r => r.Split));
        output.WriteLine($"latency ×1.2, request_sigma 0.8, latency_sigma 0.3, {runs.Length} seeds: paired (geometric mean ratio CI) {paired}; split (Welch on logs) {split}");
        var same = Runs.Each(Runs.Count(1000), seed => (Paired: PairedLatency(seed, Control, Control, NullHorizon) < NullHorizon, Split: SplitLatency(seed, Control, Control, NullHorizon) < NullHorizon));
        output.WriteLine(Runs.Share($"no change, paired 'slower' within {NullHorizon}", same.Count(r => r.Paired), same.Length));
        output.WriteLine(Runs.Share($"no change, split 'slower' within {NullHorizon}", same.Count(r => r.Split), same.Length));
        Assert.True(paired.Median * 3 <= split.Median, $"paired {paired} vs split {split}");
        Assert.True(paired.P90 * 4 <= split.P90, $"paired {paired} vs split {split}");
        // The saving is not bought with false alarms: with no change, both designs cross as often at these looks.
        Assert.InRange(same.Count(r => r.Paired) - same.Count(r => r.Split), -same.Length / 10, same.Length / 10);
        Assert.True(split.Max < Limit, $"split {split} reached the limit");
    }

    [Fact]
    public void Errors_1To3PercentIndependentFailures_PairingSavesNothing()
    {
        var control = Control with { ErrorRate = 0.01 };
        var variant = control with { ErrorRate = 0.03 };
        var runs = Runs.Each(Runs.Count(1000), seed => (Paired: PairedErrors(seed, control, variant), Split: SplitErrors(seed, control, variant)));

        var paired = Summary(runs.Select(r => r.Paired));
        var split = Summary(runs.Select(r => r.Split));
        output.WriteLine($"errors 1% → 3%, independent failures, {runs.Length} seeds: paired (McNemar exact, one-sided) {paired}; split (pooled z, one-sided) {split}");
        var same = Runs.Each(Runs.Count(1000), seed => (Paired: PairedErrors(seed, control, control, NullHorizon) < NullHorizon, Split: SplitErrors(seed, control, control, NullHorizon) < NullHorizon));
        output.WriteLine(Runs.Share($"no change, paired 'fails more' within {NullHorizon}", same.Count(r => r.Paired), same.Length));
        output.WriteLine(Runs.Share($"no change, split 'fails more' within {NullHorizon}", same.Count(r => r.Split), same.Length));
        // Failures of the two answers are independent, so pairing removes nothing; the exact McNemar test needs more requests
        // than the z-test, which at a handful of failures crosses its threshold more often than its α (see the no-change runs).
        Assert.True(paired.Median >= split.Median, $"paired {paired} vs split {split}");
        Assert.True(paired.P90 >= split.P90, $"paired {paired} vs split {split}");
        Assert.True(same.Count(r => r.Paired) <= same.Count(r => r.Split), "McNemar's exact test raised more false alarms than the z-test");
        Assert.True(Math.Max(paired.Max, split.Max) < Limit, $"paired {paired}, split {split} reached the limit");
    }

    // Request i is answered by the control and, in shadow, by the variant: both draws keyed by the request's id.
    private static int PairedLatency(ulong seed, SimulationOptions control, SimulationOptions variant, int limit = Limit)
    {
        var controls = new List<double>();
        var shadows = new List<double>();
        for (var n = 1; n <= limit; n++)
        {
            var request = Id("paired", seed, n);
            controls.Add(SimulatedDraw.Make(Mix(seed, 2 * (ulong)n), control, request).LatencyMs);
            shadows.Add(SimulatedDraw.Make(Mix(seed, (2 * (ulong)n) + 1), variant, request).LatencyMs);
            if (n % Every == 0 && GeometricMeanRatio.Compare(CollectionsMarshal.AsSpan(controls), CollectionsMarshal.AsSpan(shadows)).Interval is { } interval && interval.Lower > 1)
            {
                return n;
            }
        }

        return limit;
    }

    // The split: n requests to each variant, each its own request.
    private static int SplitLatency(ulong seed, SimulationOptions control, SimulationOptions variant, int limit = Limit)
    {
        RunningMoments controls = default, treated = default;
        for (var n = 1; n <= limit; n++)
        {
            controls = controls.Add(Math.Log(SimulatedDraw.Make(Mix(seed ^ 0xC0, (ulong)n), control, Id("control", seed, n)).LatencyMs));
            treated = treated.Add(Math.Log(SimulatedDraw.Make(Mix(seed ^ 0x7E, (ulong)n), variant, Id("variant", seed, n)).LatencyMs));
            if (n % Every == 0 && WelchTest.Compare(controls.ToSummary(), treated.ToSummary()).Interval is { } interval && interval.Lower > 0)
            {
                return n;
            }
        }

        return limit;
    }

    private static int PairedErrors(ulong seed, SimulationOptions control, SimulationOptions variant, int limit = Limit)
    {
        long shadowOnly = 0, controlOnly = 0, both = 0, neither = 0;
        for (var n = 1; n <= limit; n++)
        {
            var request = Id("paired", seed, n);
            var controlFailed = SimulatedDraw.Make(Mix(seed, 2 * (ulong)n), control, request).Failed;
            var shadowFailed = SimulatedDraw.Make(Mix(seed, (2 * (ulong)n) + 1), variant, request).Failed;
            _ = (controlFailed, shadowFailed) switch
            {
                (false, true) => shadowOnly++,
                (true, false) => controlOnly++,
                (true, true) => both++,
                _ => neither++,
            };
            if (n % Every == 0 && McNemarTest.Compare(shadowOnly, controlOnly, both, neither).PValueShadowWorse < 0.05)
            {
                return n;
            }
        }

        return limit;
    }

    private static int SplitErrors(ulong seed, SimulationOptions control, SimulationOptions variant, int limit = Limit)
    {
        long controlFailures = 0, variantFailures = 0;
        for (var n = 1; n <= limit; n++)
        {
            controlFailures += SimulatedDraw.Make(Mix(seed ^ 0xC0, (ulong)n), control, Id("control", seed, n)).Failed ? 1 : 0;
            variantFailures += SimulatedDraw.Make(Mix(seed ^ 0x7E, (ulong)n), variant, Id("variant", seed, n)).Failed ? 1 : 0;
            if (n % Every == 0 && TwoProportionTest.Compare(new BinomialCount(controlFailures, n), new BinomialCount(variantFailures, n)).Z > OneSidedZ)
            {
                return n;
            }
        }

        return limit;
    }

    private static string Id(string design, ulong seed, int n) => string.Create(CultureInfo.InvariantCulture, $"{design}-{seed}-{n}");

    private static ulong Mix(ulong seed, ulong counter)
    {
        var z = (seed * 0xD1B54A32D192ED03UL) + ((counter + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static Needed Summary(IEnumerable<int> requests)
    {
        var sorted = requests.Select(n => (double)n).Order().ToArray();
        return new Needed(Quantiles.Type7(sorted, 0.5)!.Value, Quantiles.Type7(sorted, 0.9)!.Value, sorted[^1]);
    }

    private sealed record Needed(double Median, double P90, double Max)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"median {Median:0}, p90 {P90:0}, max {Max:0} requests per variant");
    }
}
