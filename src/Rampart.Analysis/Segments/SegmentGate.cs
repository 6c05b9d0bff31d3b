using Rampart.Analysis.Decisions;
using Rampart.Analysis.Results;

namespace Rampart.Analysis.Segments;

/// <summary>
/// <c>promotion.max_segment_drop</c>: a promotion recommendation is withdrawn while the variant is significantly worse than the
/// control in a segment (Holm-adjusted across segments, below alpha) by more than the drop (<see cref="SegmentFlags.BlocksPromotion"/>).
/// </summary>
public static class SegmentGate
{
    /// <summary>The recommendation, turned into <c>continue</c> with a reason naming each blocking segment when it promotes a variant that one blocks.</summary>
    public static Recommendation Apply(Recommendation recommendation, SegmentedResults segmented)
    {
        ArgumentNullException.ThrowIfNull(segmented);
        return Apply(recommendation, segmented.By, segmented.PrimaryScore, segmented.MaxSegmentDrop, segmented.Segments);
    }

    internal static Recommendation Apply(Recommendation recommendation, string by, string score, double? maxDrop, IReadOnlyList<SegmentResult> segments)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        if (recommendation.Action != RecommendedAction.Promote || recommendation.Variant is not { } winner)
        {
            return recommendation;
        }

        var blocking = Blocking(winner, by, score, maxDrop, segments);
        if (blocking.Count == 0)
        {
            return recommendation;
        }

        return new Recommendation(
            RecommendedAction.Continue,
            null,
            [$"Continue: {winner} meets every promotion criterion overall, but a segment blocks it.", .. blocking],
            [.. recommendation.Reasons, .. recommendation.Details ?? []],
            recommendation.Outcome);
    }

    /// <summary>
    /// Why promoting <paramref name="winner"/> is blocked by a segment of <paramref name="segmented"/> (one reason per blocking
    /// segment, <see cref="SegmentFlags.BlocksPromotion"/>); empty when none blocks it. The monitor holds a promotion on it too.
    /// </summary>
    public static IReadOnlyList<string> Blocking(string winner, SegmentedResults segmented)
    {
        ArgumentNullException.ThrowIfNull(winner);
        ArgumentNullException.ThrowIfNull(segmented);
        return Blocking(winner, segmented.By, segmented.PrimaryScore, segmented.MaxSegmentDrop, segmented.Segments);
    }

    private static List<string> Blocking(string winner, string by, string score, double? maxDrop, IReadOnlyList<SegmentResult> segments) =>
        [.. segments
            .Select(s => (Segment: s, Variant: s.Variants.FirstOrDefault(v => v.Name == winner)))
            .Where(s => s.Variant?.Flags.Contains(SegmentFlags.BlocksPromotion) == true)
            .Select(s => $"{winner} is significantly worse than the control in segment {by}={s.Segment.Name}: {score} diff {Numbers.Value(s.Variant!.Diff)} " +
                         $"(Holm-adjusted across segments p {Numbers.P(s.Variant.PValueHolm)}), more than promotion.max_segment_drop {Numbers.Value(maxDrop)} below.")];
}
