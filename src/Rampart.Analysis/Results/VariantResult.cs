namespace Rampart.Analysis.Results;

/// <summary>One variant's numbers (definitions in docs/statistics.md).</summary>
/// <param name="Name">The variant's name.</param>
/// <param name="Units">Distinct units among exposures (among completions when there are no exposures).</param>
/// <param name="Requests">Completions.</param>
/// <param name="Errors">Completions whose <c>error</c> is not null.</param>
/// <param name="ErrorRate">Errors / requests; null without requests.</param>
/// <param name="LatencyMs">Latency of successful completions.</param>
/// <param name="CostUsd">Cost per completion and in total.</param>
/// <param name="Tokens">Token sums.</param>
/// <param name="Scores">Every score with feedback (the primary score always), by name.</param>
/// <param name="VsControl">Per metric, the comparison with the control; null for the control itself (and left out of the JSON).</param>
public sealed record VariantResult(
    string Name,
    long Units,
    long Requests,
    long Errors,
    double? ErrorRate,
    LatencyResult LatencyMs,
    CostResult CostUsd,
    TokenResult Tokens,
    IReadOnlyDictionary<string, ScoreResult> Scores,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, MetricComparison>? VsControl);
