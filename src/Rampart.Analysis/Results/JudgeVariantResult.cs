namespace Rampart.Analysis.Results;

/// <summary>One judge's figures for one variant.</summary>
/// <param name="N">Scores counted (the latest per request).</param>
/// <param name="Mean">Their mean, or null without scores.</param>
/// <param name="CostUsd">What the judge's calls on this variant cost in total, apart from the variant's own cost.</param>
public sealed record JudgeVariantResult(long N, double? Mean, double CostUsd);
