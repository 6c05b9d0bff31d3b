namespace Rampart.Core.Experiments;

/// <summary>When a variant may be promoted (docs/statistics.md, docs/rollouts.md).</summary>
/// <param name="Alpha">Significance level of the primary score's test. Default: 0.05.</param>
/// <param name="MinUnits">Units a variant needs before it can be promoted. Default: 1000.</param>
/// <param name="MaxErrorRateRatio">The variant's error rate may not be significantly above this × the control's. Default: 1.1.</param>
/// <param name="MaxP95LatencyRatio">The variant's p95 latency must stay below this × the control's. Default: 1.2.</param>
public sealed record PromotionOptions(
    double Alpha = 0.05,
    int MinUnits = 1000,
    double MaxErrorRateRatio = 1.1,
    double MaxP95LatencyRatio = 1.2)
{
    /// <summary>
    /// Per score name, how far it may be below the control's and the variant still be promoted (<c>min_score</c>,
    /// non-inferiority); empty by default.
    /// </summary>
    public System.Collections.Immutable.ImmutableSortedDictionary<string, ScoreFloor> MinScore { get; init; } = ScoreFloor.None;

    /// <summary>
    /// How far a segment's primary score may fall below the control's (an absolute difference) before it blocks the promotion
    /// recommendation: a segment where the variant is significantly worse (Holm-adjusted across segments) by more than this
    /// blocks it (docs/targeting.md, Per-segment results). Null (the default): segments never block.
    /// </summary>
    public double? MaxSegmentDrop { get; init; }
}
