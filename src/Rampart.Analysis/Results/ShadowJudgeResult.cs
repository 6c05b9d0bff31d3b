namespace Rampart.Analysis.Results;

/// <summary>One judge on a shadow variant against the control, on the pairs where it judged both answers.</summary>
/// <param name="N">Pairs with a verdict on both answers.</param>
/// <param name="MeanDifference">Mean of shadow − control of the normalised (0–1) scores.</param>
/// <param name="Ci95">Its paired t interval.</param>
/// <param name="PValue">Two-sided paired t p-value.</param>
/// <param name="Preference">The pairwise judge's win rate of the shadow (<c>judge_&lt;name&gt;_preference</c>), or null without such verdicts.</param>
public sealed record ShadowJudgeResult(long N, double? MeanDifference, IReadOnlyList<double>? Ci95, double? PValue, ShadowPreferenceResult? Preference);
