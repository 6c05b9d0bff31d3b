namespace Rampart.Analysis.Results;

/// <summary>Cost in USD.</summary>
/// <param name="Mean">Mean per completion over completions with a cost (cost per query); null when none has one.</param>
/// <param name="Total">Sum over completions with a cost.</param>
public sealed record CostResult(double? Mean, double Total);
