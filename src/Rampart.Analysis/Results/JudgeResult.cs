namespace Rampart.Analysis.Results;

/// <summary>One judge in the results document (docs/api.md, "judges"): its score per variant, its own cost, and how well it agrees with people.</summary>
/// <param name="Name">The judge's name (its score without the <c>judge_</c> prefix).</param>
/// <param name="Score">The judge's score, e.g. <c>judge_helpfulness</c>.</param>
/// <param name="Model">The judge model of the latest call, or null.</param>
/// <param name="Variants">Per variant: the judge's scores (one per request) and what judging it cost.</param>
/// <param name="Calibration">The judge against the primary score on requests that have both.</param>
public sealed record JudgeResult(
    string Name, string Score, string? Model, IReadOnlyDictionary<string, JudgeVariantResult> Variants, CalibrationResult Calibration);
