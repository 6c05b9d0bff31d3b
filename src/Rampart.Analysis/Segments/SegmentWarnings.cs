using Rampart.Analysis.Decisions;

namespace Rampart.Analysis.Segments;

/// <summary>The cautions printed under per-segment results.</summary>
internal static class SegmentWarnings
{
    /// <summary>
    /// Simpson's paradox, per variant: the overall difference d and the segments' differences dₛ weighted by the segments' units
    /// nₛ (every variant together), w = Σ nₛ·dₛ / Σ nₛ over the segments where dₛ can be computed; warned when d and w are both
    /// non-zero and of opposite signs. Then a note of the segments pooled into <c>other</c>.
    /// </summary>
    public static List<string> Of(string by, string score, IReadOnlyList<SegmentVariantResult> overall, IReadOnlyList<SegmentResult> segments, int pooled, long minUnits)
    {
        var warnings = new List<string>();
        foreach (var variant in overall)
        {
            if (WeightedDifference(variant.Name, segments) is not { } weighted || variant.Diff is not { } d || d == 0 || weighted == 0 || (d > 0) == (weighted > 0))
            {
                continue;
            }

            warnings.Add(
                $"Simpson's paradox for {variant.Name}: overall its {score} is {Direction(d)} the control's (diff {Signed(d)}), but the segments' " +
                $"differences by {by}, weighted by their units, average {Signed(weighted)} ({Direction(weighted)}): the variants' units are not split " +
                $"alike across the segments, so the overall figure mixes segments, not effects; read the segments.");
        }

        if (pooled > 0)
        {
            warnings.Add($"{pooled} value{(pooled == 1 ? "" : "s")} of {by} with fewer than {Numbers.Count(minUnits)} units each {(pooled == 1 ? "is" : "are")} pooled into '{SegmentedAnalyzer.Other}'.");
        }

        return warnings;
    }

    /// <summary>Σ nₛ·dₛ / Σ nₛ over the segments where the variant's difference is known; null when there is none.</summary>
    public static double? WeightedDifference(string variant, IReadOnlyList<SegmentResult> segments)
    {
        double sum = 0, weight = 0;
        foreach (var segment in segments)
        {
            if (segment.Variants.FirstOrDefault(v => v.Name == variant)?.Diff is { } diff && segment.Units > 0)
            {
                sum += segment.Units * diff;
                weight += segment.Units;
            }
        }

        return weight > 0 ? sum / weight : null;
    }

    private static string Direction(double diff) => diff > 0 ? "above" : "below";

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Numbers.Value(value);
}
