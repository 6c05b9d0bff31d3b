namespace Rampart.Analysis.Shadow;

/// <summary>One side of a pair: a completion of the served control or of a shadow variant.</summary>
/// <param name="Sequence">Its position; of two completions for the same side of a pair the earlier counts.</param>
/// <param name="Failed">Whether the call failed.</param>
/// <param name="LatencyMs">Its latency in milliseconds.</param>
/// <param name="CostUsd">Its cost, or null when the model has no price.</param>
public readonly record struct PairedCall(long Sequence, bool Failed, double LatencyMs, double? CostUsd);
