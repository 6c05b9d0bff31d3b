using Rampart.Analysis.Results;
using Rampart.Core.Experiments;
using Rampart.Stats.Hypothesis;

namespace Rampart.Analysis.Decisions;

/// <summary>
/// The promotion criteria (docs/rollouts.md) for one variant: what holds and what does not, as sentences with the numbers. While the
/// experiment can still be looked at again (<see cref="AnalysisOptions.Sequential"/>), significance is the monitor's:
/// the always-valid <c>p_value_sequential_holm</c>; a finished analysis uses the fixed-horizon <c>p_value_clustered_holm</c>.
/// </summary>
internal static class PromotionCheck
{
    /// <summary>
    /// Checks every criterion; <paramref name="met"/> and <paramref name="unmet"/> receive one sentence each, and
    /// <paramref name="deciding"/> the unmet ones that rest on computed figures (not the unit count, not a missing value).
    /// </summary>
    public static bool Passes(
        VariantSnapshot variant, VariantSnapshot control, MetricComparison primary, string score, SrmResult srm,
        PromotionOptions options, bool sequential, List<string> met, List<string> unmet, List<string> deciding)
    {
        var before = unmet.Count;
        var name = variant.Name;
        var mean = variant.Score(score).Values.Mean;
        var controlMean = control.Score(score).Values.Mean;
        var primaryText = $"{name}'s {score} {Numbers.Value(mean)} vs the control's {Numbers.Value(controlMean)} ({Numbers.SignedPercent(primary.Lift)})";
        var bothMeans = mean is not null && controlMean is not null;
        Sort(bothMeans && mean > controlMean, $"{primaryText} is higher", $"{primaryText} is not higher", met, unmet, bothMeans ? deciding : null);

        Significance(name, primary, score, options.Alpha, sequential, met, unmet, deciding);

        Sort(variant.Units >= options.MinUnits,
            $"{name} has {Numbers.Count(variant.Units)} units (at least {Numbers.Count(options.MinUnits)})",
            $"{name} has {Numbers.Count(variant.Units)} units; promotion needs at least {Numbers.Count(options.MinUnits)}",
            met, unmet);

        ErrorRate(variant, control, options, met, unmet, deciding);
        Latency(variant, control, options, met, unmet, deciding);
        ScoreFloors(variant, control, options, met, unmet, deciding);

        Sort(!srm.Mismatch,
            srm.PValue is null ? "the sample-ratio check could not be computed" : $"no sample-ratio mismatch (p {Numbers.P(srm.PValue)})",
            $"the experiment has a sample-ratio mismatch (p {Numbers.P(srm.PValue)} < {SrmResult.Threshold}): its split is not the configured one, so nothing is promoted",
            met, unmet, deciding);
        return unmet.Count == before;
    }

    private static void Significance(
        string name, MetricComparison primary, string score, double alpha, bool sequential, List<string> met, List<string> unmet, List<string> deciding)
    {
        var a = Numbers.Value(alpha);
        if (!sequential)
        {
            var p = primary.PValueClusteredHolm;
            Sort(p < alpha,
                $"{name}'s p_value_clustered_holm {Numbers.P(p)} on {score} is below alpha {a}",
                $"{name}'s p_value_clustered_holm {Numbers.P(p)} on {score} is not below alpha {a}: not yet significant",
                met, unmet, p is null ? null : deciding);
            return;
        }

        // The fixed-horizon p-value is valid read once, at a planned end; read at every look it promotes an A/A variant far
        // more often than alpha. While the experiment runs, only the always-valid p-value (the monitor's) decides.
        var s = primary.PValueSequentialHolm;
        var fixedNote = primary.PValueClusteredHolm < alpha && !(s < alpha)
            ? $" (the fixed-horizon p_value_clustered_holm {Numbers.P(primary.PValueClusteredHolm)} is below alpha, but it is valid only when read once, at a planned end)"
            : "";
        Sort(s < alpha,
            $"{name}'s always-valid p_value_sequential_holm {Numbers.P(s)} on {score} is below alpha {a}",
            $"{name}'s always-valid p_value_sequential_holm {Numbers.P(s)} on {score} is not below alpha {a}: not yet significant{fixedNote}",
            met, unmet, s is null ? null : deciding);
    }

    // Not significantly above k × the control's rate, rather than the seed's point rule, which would block a winner on noise.
    private static void ErrorRate(VariantSnapshot variant, VariantSnapshot control, PromotionOptions options, List<string> met, List<string> unmet, List<string> deciding)
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
            met, unmet, deciding);
    }

    private static void Latency(VariantSnapshot variant, VariantSnapshot control, PromotionOptions options, List<string> met, List<string> unmet, List<string> deciding)
    {
        if (variant.P95 is not { } p95 || control.P95 is not { } controlP95)
        {
            unmet.Add($"{variant.Name}'s p95 latency cannot be compared: {(variant.P95 is null ? variant.Name : "the control")} has no successful completions.");
            return;
        }

        var limit = options.MaxP95LatencyRatio * controlP95;
        var text = $"{variant.Name}'s p95 latency {Numbers.Ms(p95)} vs {Numbers.Plain(options.MaxP95LatencyRatio)} × the control's {Numbers.Ms(controlP95)} = {Numbers.Ms(limit)}";
        Sort(p95 < limit, $"{text} is below", $"{text} is not below", met, unmet, deciding);
    }

    // Non-inferiority: each listed score (typically a judge's) must be established no more than max_drop below the control's,
    // by the always-valid test the monitor uses, so the recommendation and the monitor agree at every look.
    private static void ScoreFloors(VariantSnapshot variant, VariantSnapshot control, PromotionOptions options, List<string> met, List<string> unmet, List<string> deciding)
    {
        foreach (var (score, floor) in options.MinScore)
        {
            var test = ScoreFloorTest.Compare(control.Score(score).PerUnit, variant.Score(score).PerUnit, floor.MaxDrop);
            var text = ScoreFloorTest.Describe(variant.Name, score, floor.MaxDrop, test);
            var evidence = ScoreFloorTest.Evidence(floor.MaxDrop, test);
            Sort(test.EstablishedWithin(floor.MaxDrop),
                $"{text} is established within the floor ({evidence})",
                $"{text} is not established within the floor ({evidence})",
                met, unmet, test.Interval is null ? null : deciding);
        }
    }

    private static void Sort(bool holds, string whenMet, string whenUnmet, List<string> met, List<string> unmet, List<string>? deciding = null)
    {
        if (holds)
        {
            met.Add(whenMet + ".");
        }
        else
        {
            unmet.Add(whenUnmet + ".");
            deciding?.Add(whenUnmet + ".");
        }
    }
}
