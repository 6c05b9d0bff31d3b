using System.Runtime.InteropServices;
using Rampart.Analysis.Results;
using Rampart.Stats.Hypothesis;
using Rampart.Stats.Paired;

namespace Rampart.Analysis.Shadow;

/// <summary>
/// The results document's <c>shadow</c> block (docs/shadow.md, Paired analysis): per shadow variant McNemar on the paired
/// failures, Wilcoxon, the geometric mean ratio and the ratio quantiles on latency, the paired t on cost, and per judge the
/// paired t on the normalised scores and the pairwise win rate, all from <see cref="Rampart.Stats.Paired"/>.
/// </summary>
public static class ShadowAnalyzer
{
    /// <summary>The block for <paramref name="paired"/>, or null when it saw no shadow event.</summary>
    public static ShadowResult? Analyze(PairedAggregate paired)
    {
        ArgumentNullException.ThrowIfNull(paired);
        return paired.HasShadow
            ? new ShadowResult(paired.Unmatched, paired.Dropped, paired.Duplicates, [.. paired.Variants.Select(v => Variant(paired.PairsOf(v), paired.SpendOf(v).Spend))])
            : null;
    }

    /// <summary>One shadow variant's figures.</summary>
    public static ShadowVariantResult Variant(ShadowPairs pairs, double spend)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var mcnemar = McNemarTest.Compare(pairs.ShadowOnlyFailed, pairs.ControlOnlyFailed, pairs.BothFailed, pairs.BothOk);
        var errors = new ShadowErrorResult(
            pairs.ShadowOnlyFailed, pairs.ControlOnlyFailed, pairs.BothFailed, pairs.ControlErrorRate, pairs.ShadowErrorRate, pairs.ErrorRateRatio,
            mcnemar.Difference, Bounds(mcnemar.Interval), mcnemar.PValue, mcnemar.PValueShadowWorse);

        var control = Span(pairs.ControlLatency);
        var shadow = Span(pairs.ShadowLatency);
        var wilcoxon = WilcoxonSignedRankTest.Compare(control, shadow);
        var ratio = GeometricMeanRatio.Compare(control, shadow);
        var quantiles = PairedRatioQuantiles.Of(control, shadow);
        var latency = new ShadowLatencyResult(
            control.Length, wilcoxon.PValue, ratio.Ratio, Bounds(ratio.Interval), quantiles.MedianRatio, Bounds(quantiles.MedianInterval), quantiles.P95Ratio);

        var cost = PairedTTest.Compare(Span(pairs.ControlCost), Span(pairs.ShadowCost));
        var costs = new ShadowCostResult(pairs.ControlCost.Count, cost.MeanDifference, Bounds(cost.Interval), cost.PValue, spend);

        var judges = new SortedDictionary<string, ShadowJudgeResult>(StringComparer.Ordinal);
        var scores = pairs.Scores.Keys.Union(pairs.Preferences.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var score in scores.Take(ExperimentAnalyzer.MaxListedJudgeScores))
        {
            var test = pairs.Scores.TryGetValue(score, out var s) ? PairedTTest.Compare([.. s.Control], [.. s.Shadow]) : null;
            ShadowPreferenceResult? preference = null;
            if (pairs.Preferences.TryGetValue(score, out var p))
            {
                var rate = WinRate.Of(p.Wins, p.Losses, p.Ties);
                preference = new ShadowPreferenceResult(rate.Comparisons, p.Wins, p.Losses, p.Ties, rate.Rate, Bounds(rate.Interval), rate.PValue);
            }

            judges.Add(score, new ShadowJudgeResult(test?.Pairs ?? 0, test?.MeanDifference, Bounds(test?.Interval), test?.PValue, preference));
        }

        return new ShadowVariantResult(pairs.Variant, pairs.Pairs, errors, latency, costs, judges)
        {
            UnlistedJudgeScores = Math.Max(0, scores.Count - ExperimentAnalyzer.MaxListedJudgeScores),
        };
    }

    private static ReadOnlySpan<double> Span(List<double> values) => CollectionsMarshal.AsSpan(values);

    private static double[]? Bounds(ConfidenceInterval? interval) => interval is { } i ? [i.Lower, i.Upper] : null;
}
