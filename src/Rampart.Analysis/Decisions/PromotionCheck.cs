using Rampart.Analysis.Results;
using Rampart.Core.Experiments;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis.Decisions;

/// <summary>The promotion criteria of DESIGN §4 for one variant: what holds and what does not, as sentences with the numbers.</summary>
internal static class PromotionCheck
{
    /// <summary>Checks every criterion; <paramref name="met"/> and <paramref name="unmet"/> receive one sentence each.</summary>
    public static bool Passes(
        VariantSnapshot variant, VariantSnapshot control, MetricComparison primary, string score, SrmResult srm,
        PromotionOptions options, List<string> met, List<string> unmet)
    {
        var before = unmet.Count;
        var name = variant.Name;
        var mean = variant.Score(score).Values.Mean;
        var controlMean = control.Score(score).Values.Mean;
        var primaryText = $"{name}'s {score} {Numbers.Value(mean)} vs the control's {Numbers.Value(controlMean)} ({Numbers.SignedPercent(primary.Lift)})";
        Sort(mean is { } m && controlMean is { } c && m > c, $"{primaryText} is higher", $"{primaryText} is not higher", met, unmet);

        var p = primary.PValueClusteredHolm;
        Sort(p < options.Alpha,
            $"{name}'s p_value_clustered_holm {Numbers.P(p)} on {score} is below alpha {Numbers.Value(options.Alpha)}",
            $"{name}'s p_value_clustered_holm {Numbers.P(p)} on {score} is not below alpha {Numbers.Value(options.Alpha)}: not yet significant",
            met, unmet);

        Sort(variant.Units >= options.MinUnits,
            $"{name} has {Numbers.Count(variant.Units)} units (at least {Numbers.Count(options.MinUnits)})",
            $"{name} has {Numbers.Count(variant.Units)} units; promotion needs at least {Numbers.Count(options.MinUnits)}",
            met, unmet);

        ErrorRate(variant, control, options, met, unmet);
        Latency(variant, control, options, met, unmet);

        Sort(!srm.Mismatch,
            srm.PValue is null ? "the sample-ratio check could not be computed" : $"no sample-ratio mismatch (p {Numbers.P(srm.PValue)})",
            $"the experiment has a sample-ratio mismatch (p {Numbers.P(srm.PValue)} < {SrmResult.Threshold}): its split is not the configured one, so nothing is promoted",
            met, unmet);
        return unmet.Count == before;
    }

    // Not significantly above k × the control's rate, rather than the seed's point rule, which would block a winner on noise.
    private static void ErrorRate(VariantSnapshot variant, VariantSnapshot control, PromotionOptions options, List<string> met, List<string> unmet)
    {
        var k = Numbers.Plain(options.MaxErrorRateRatio);
        var rates = $"{variant.Name}'s error rate {Numbers.Percent(variant.ErrorRate)} vs {k} × the control's {Numbers.Percent(control.ErrorRate)}";
        if (variant.Requests == 0 || control.Requests == 0)
        {
            unmet.Add($"{rates} cannot be compared without requests in both.");
            return;
        }

        var test = ScaledDifferenceTest.Compare(
            new BinomialCount(control.Errors, control.Requests), new BinomialCount(variant.Errors, variant.Requests), options.MaxErrorRateRatio);
        var passes = test.PValue is { } p ? p >= options.Alpha : test.Excess is { } excess && excess <= 0;
        var evidence = test.PValue is null ? $"no variance to test: {test.Reason}" : $"one-sided p {Numbers.P(test.PValue)}";
        Sort(passes,
            $"{rates} is not significantly higher ({evidence})",
            $"{rates} is significantly higher ({evidence}, alpha {Numbers.Value(options.Alpha)})",
            met, unmet);
    }

    private static void Latency(VariantSnapshot variant, VariantSnapshot control, PromotionOptions options, List<string> met, List<string> unmet)
    {
        if (variant.P95 is not { } p95 || control.P95 is not { } controlP95)
        {
            unmet.Add($"{variant.Name}'s p95 latency cannot be compared: {(variant.P95 is null ? variant.Name : "the control")} has no successful completions.");
            return;
        }

        var limit = options.MaxP95LatencyRatio * controlP95;
        var text = $"{variant.Name}'s p95 latency {Numbers.Ms(p95)} vs {Numbers.Plain(options.MaxP95LatencyRatio)} × the control's {Numbers.Ms(controlP95)} = {Numbers.Ms(limit)}";
        Sort(p95 < limit, $"{text} is below", $"{text} is not below", met, unmet);
    }

    private static void Sort(bool holds, string whenMet, string whenUnmet, List<string> met, List<string> unmet)
    {
        if (holds)
        {
            met.Add(whenMet + ".");
        }
        else
        {
            unmet.Add(whenUnmet + ".");
        }
    }
}
