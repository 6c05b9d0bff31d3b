namespace Rampart.Analysis.Results;

/// <summary>One shadow variant against the control on the pairs (every difference is shadow − control, every ratio shadow / control).</summary>
/// <param name="Name">The shadow variant.</param>
/// <param name="Pairs">Pairs: a served completion and this variant's shadow completion of the same request.</param>
/// <param name="Errors">McNemar's test on the paired failures.</param>
/// <param name="LatencyMs">Latency on the pairs where both succeeded.</param>
/// <param name="CostUsd">Cost per request on the pairs where both have a cost, and the shadow's whole spend.</param>
/// <param name="Judges">Per judge score (by name, at most <see cref="ExperimentAnalyzer.MaxListedJudgeScores"/>), the paired difference of the normalised scores and the pairwise win rate.</param>
public sealed record ShadowVariantResult(
    string Name,
    long Pairs,
    ShadowErrorResult Errors,
    ShadowLatencyResult LatencyMs,
    ShadowCostResult CostUsd,
    IReadOnlyDictionary<string, ShadowJudgeResult> Judges)
{
    /// <summary>Judge scores left out of <see cref="Judges"/>: at most <see cref="ExperimentAnalyzer.MaxListedJudgeScores"/> are listed, by name.</summary>
    public int UnlistedJudgeScores { get; init; }
}
